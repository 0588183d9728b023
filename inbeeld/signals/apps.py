from __future__ import annotations

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "inbeeld.signals"
    verbose_name = _("Signals")

    def ready(self) -> None:
        # Apps that add to the signal page register in their signal_sections.py (sections.py).
        autodiscover_modules("signal_sections")
