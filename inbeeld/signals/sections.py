"""What other apps add to a signal's page (the case table's feedback to the reporter, ...).

Apps that build on signals (casetable/) may be imported by nothing in signals/; each
registers here, in its own ``signal_sections.py`` (found by ``SignalsConfig.ready``), a
``SignalSection``: a part of the page with its template and a context function
``(user, signal) -> mapping``. It is shown to whoever may see the signal: the page's gate has
already decided and audited the read; the section shows only what every such reader may know.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SignalSection:
    name: str  # also the section's data-testid
    template: str
    context: Callable[[Any, Any], Mapping[str, Any]]  # user, signal
    order: int = 100


_SECTIONS: dict[str, SignalSection] = {}


def signal_section_register(section: SignalSection) -> None:
    _SECTIONS[section.name] = section


def signal_sections() -> list[SignalSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.name))
