"""What other apps add to a signal: parts of its page, and of its data-subject rights.

Apps that build on signals (casetable/) may be imported by nothing in signals/; each
registers here:

- in its own ``signal_sections.py`` (found by ``SignalsConfig.ready``), a ``SignalSection``:
  a part of the page with its template and a context function ``(user, signal) ->
  mapping``. It is shown to whoever may see the signal: the page's gate has already decided
  and audited the read; the section shows only what every such reader may know;
- in its ``privacy.py`` (found by privacy/'s autodiscovery), a ``SignalPrivacyPart``: what
  its rows about a signal add to the signal's access export, and how they are emptied when
  the signal is erased (signals/privacy.py asks each), as cases/sections.py's
  ``CasePrivacyPart`` does for a case.
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


@dataclass(frozen=True)
class SignalPrivacyPart:
    name: str
    label: Any  # a heading in the export ("Case table")
    # The part's items of a signal, each with a "text" the export shows (decrypted).
    export: Callable[[Any], list[dict[str, Any]]]
    # Empty the identifying texts of a signal's rows; how many rows were touched.
    erase: Callable[[Any], int]


_PRIVACY_PARTS: dict[str, SignalPrivacyPart] = {}


def signal_privacy_part_register(part: SignalPrivacyPart) -> None:
    _PRIVACY_PARTS[part.name] = part


def signal_privacy_parts() -> list[SignalPrivacyPart]:
    return [_PRIVACY_PARTS[name] for name in sorted(_PRIVACY_PARTS)]
