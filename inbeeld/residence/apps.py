from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidenceConfig(AppConfig):
    name = "inbeeld.residence"
    verbose_name = _("Residence track")
