from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "inbeeld.registration"
    verbose_name = _("CoMensha registration")
