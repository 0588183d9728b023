from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "inbeeld.placements"
    verbose_name = _("Shelter placements")

    def ready(self) -> None:
        # The region's capacity overview counts the waiting requests (shelter/overview.py
        # asks the sources registered with it; shelter/ does not import this app).
        from inbeeld.placements import overview  # noqa: F401
