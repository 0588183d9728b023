from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareplansConfig(AppConfig):
    name = "inbeeld.careplans"
    verbose_name = _("Care plans")

    def ready(self) -> None:
        # A closed case's plan stops asking for work: its open tasks are cancelled.
        from inbeeld.careplans import receivers  # noqa: F401
