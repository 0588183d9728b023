from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidenceConfig(AppConfig):
    name = "inbeeld.residence"
    verbose_name = _("Residence track")

    def ready(self) -> None:
        # A closed case's track reminds nobody: its open reminders are cancelled.
        from inbeeld.residence import receivers  # noqa: F401
