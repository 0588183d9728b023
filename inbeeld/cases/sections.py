"""What other apps add to a case page: sections and timeline entries.

The care plan, referrals, services and (later) shelter placements are their own apps that
build on cases/; cases/ may not import them. Each registers here, in its own
``case_sections.py`` (found by ``CasesConfig.ready``):

- a ``CaseSection``: a part of the case page with its template and a context function
  ``(request, user, case, editable) -> mapping``; it is shown to whoever may see the case
  (the case page's gate has already decided and audited the read), and the app's own
  views decide who may change what it shows;
- a timeline source ``(case) -> list[TimelineItem]``: the app's entries in the case's
  one chronological view;
- a ``CasePrivacyPart``: what its rows of a case add to the case's data-subject access
  export, and how they are emptied when the case is erased (cases/privacy.py asks each).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inbeeld.cases.timeline import TimelineItem


@dataclass(frozen=True)
class CaseSection:
    name: str  # also the section's data-testid
    template: str
    context: Callable[[Any, Any, Any, bool], Mapping[str, Any]]  # request, user, case, editable
    order: int = 100


@dataclass(frozen=True)
class CasePrivacyPart:
    name: str
    label: Any  # a heading in the export ("Referrals")
    # The part's items of a case, each with a "text" the export shows (decrypted).
    export: Callable[[Any], list[dict[str, Any]]]
    # Empty the identifying texts of a case's rows; how many rows were touched.
    erase: Callable[[Any], int]


TimelineSource = Callable[[Any], "list[TimelineItem]"]

_SECTIONS: dict[str, CaseSection] = {}
_TIMELINE_SOURCES: dict[str, TimelineSource] = {}
_PRIVACY_PARTS: dict[str, CasePrivacyPart] = {}


def case_section_register(section: CaseSection) -> None:
    _SECTIONS[section.name] = section


def case_sections() -> list[CaseSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.name))


def case_timeline_source_register(name: str, source: TimelineSource) -> None:
    _TIMELINE_SOURCES[name] = source


def case_timeline_sources() -> list[TimelineSource]:
    return [_TIMELINE_SOURCES[name] for name in sorted(_TIMELINE_SOURCES)]


def case_privacy_part_register(part: CasePrivacyPart) -> None:
    _PRIVACY_PARTS[part.name] = part


def case_privacy_parts() -> list[CasePrivacyPart]:
    return [_PRIVACY_PARTS[name] for name in sorted(_PRIVACY_PARTS)]
