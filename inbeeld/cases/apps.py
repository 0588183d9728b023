from __future__ import annotations

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "inbeeld.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # Each app that adds to the case page registers in its case_sections.py (sections.py).
        autodiscover_modules("case_sections")
