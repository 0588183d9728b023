"""Cases for tests, built through the services like a zorgcoördinator would."""

from __future__ import annotations

from inbeeld.cases.models import Case
from inbeeld.cases.services import case_open_from_signals
from inbeeld.testing.world import World


def world_case(world: World, letter: str = "A") -> Case:
    """A case opened by region ``letter``'s zorgcoördinator from ``world.signal(letter)``."""
    return case_open_from_signals(
        by=world.user("zorgcoordinator", letter), signals=[world.signal(letter)]
    )
