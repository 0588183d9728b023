from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "inbeeld.integrations"
    verbose_name = _("Organisation API tokens and webhooks")
