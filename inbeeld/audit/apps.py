from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "inbeeld.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from inbeeld.audit import receivers  # noqa: F401  (login signals, SQLite guard)
        from inbeeld.audit.names import autodiscover

        # Every app's audit_names.py says how the FG's search names its records (names.py).
        autodiscover()
