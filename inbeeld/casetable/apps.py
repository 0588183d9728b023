from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasetableConfig(AppConfig):
    name = "inbeeld.casetable"
    verbose_name = _("Case table")
