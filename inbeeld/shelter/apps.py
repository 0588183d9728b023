from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShelterConfig(AppConfig):
    name = "inbeeld.shelter"
    verbose_name = _("Shelter places")
