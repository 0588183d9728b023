from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "inbeeld.insight"
    verbose_name = _("Insight into scale")
