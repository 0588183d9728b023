"""The blocks of the home page ("Vandaag"): each app contributes its own.

The web app shows the home page but may not import the domain apps (the importlinter
contract in pyproject.toml keeps them independent), so each app registers its blocks here,
in its ``home.py`` (found by web/apps.py). A block is shown to a user who has its
permission (the rule in the app's rules.py); its context function then makes what it shows,
and audits what it reads, like every other page of the app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HomeBlock:
    name: str  # also the block's data-testid
    permission: str
    template: str
    context: Callable[[Any], Mapping[str, Any]]  # user → the template's context
    order: int = 100


_BLOCKS: dict[str, HomeBlock] = {}


def home_block_register(block: HomeBlock) -> None:
    _BLOCKS[block.name] = block


def home_blocks() -> list[HomeBlock]:
    return sorted(_BLOCKS.values(), key=lambda block: (block.order, block.name))
