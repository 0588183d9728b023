"""The risk score as a signal keeps it: made once, with the catalogue version it was made with.

A signal is scored when it comes in. It keeps the total (``risk_score``, which orders the
queue), the version of the catalogue and every contribution (code, kind, weight) in the
order the page shows them. The page shows what was kept, so that a new catalogue changes
neither what an old signal says about itself nor whether its page opens; beside it, clearly
labelled, the page may show what the current catalogue would make of the same codes. A code
the current catalogue no longer has is shown by its code, never looked up as if it existed.

Every place in the web app that names indicators asks :func:`current_catalogue`, so one
module decides which catalogue is in force (tests point ``CATALOGUE_PATH`` at another file).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inbeeld.signals.indicators import (
    INDICATOR,
    METHOD,
    Catalogue,
    Kind,
    RiskScore,
    load_catalogue,
    risk_score,
    risk_score_known,
)
from inbeeld.signals.models import Signal

#: The catalogue file in force; None is the packaged ``data/indicators.json``.
CATALOGUE_PATH: Path | None = None


def current_catalogue() -> Catalogue:
    """The catalogue new signals are scored with and whose texts name indicators."""
    return load_catalogue(CATALOGUE_PATH)


@dataclass(frozen=True)
class ScoreFields:
    """What a new signal stores of its score (the model fields of the same names)."""

    risk_score: float
    risk_catalogue_version: str
    risk_contributions: list[dict[str, Any]]


def score_fields(indicators: Iterable[str], methods: Iterable[str]) -> ScoreFields:
    """Score with the current catalogue; ``ValueError`` names a code it does not know."""
    catalogue = current_catalogue()
    score = risk_score(catalogue, indicators, methods)
    return ScoreFields(score.total, catalogue.version, stored_contributions(score))


def stored_contributions(score: RiskScore) -> list[dict[str, Any]]:
    """The contributions as kept in ``Signal.risk_contributions``, largest first."""
    return [{"code": c.code, "kind": c.kind, "weight": c.weight} for c in score.contributions]


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


def item_label(
    catalogue: Catalogue, code: str, kind: Kind, *, english: bool | None = None
) -> str | None:
    """The Dutch or English text of an indicator or method; None if not in ``catalogue``.

    ``english`` None: the active language decides.
    """
    try:
        item = catalogue.method(code) if kind == METHOD else catalogue.indicator(code)
    except KeyError:
        return None
    return item.en if (_english() if english is None else english) else item.nl


def item_text(catalogue: Catalogue, code: str, kind: Kind, *, english: bool | None = None) -> str:
    """As :func:`item_label`, but a code the catalogue dropped is named with that fact."""
    label = item_label(catalogue, code, kind, english=english)
    if label is None:
        return _("%(code)s (not in the current catalogue)") % {"code": code}
    return label


@dataclass(frozen=True)
class ShownContribution:
    code: str
    kind: Kind
    weight: float
    label: str | None  # None: the current catalogue no longer has this code


@dataclass(frozen=True)
class ShownScore:
    """A score as the signal page shows it."""

    total: float
    version: str  # "" when the version was not recorded (see migration 0010)
    contributions: tuple[ShownContribution, ...]
    unknown: tuple[str, ...] = ()  # codes the catalogue of this score does not know


def stored_score(signal: Signal, catalogue: Catalogue) -> ShownScore:
    """The score the signal was given, as it was given; labels from ``catalogue``."""
    rows = tuple(_shown(entry, catalogue) for entry in signal.risk_contributions)
    return ShownScore(signal.risk_score, signal.risk_catalogue_version, rows)


def current_score(signal: Signal, catalogue: Catalogue) -> ShownScore | None:
    """What ``catalogue`` would give the signal; None when it is the one that scored it."""
    if signal.risk_catalogue_version == catalogue.version:
        return None
    partial = risk_score_known(catalogue, signal.indicators, signal.methods)
    rows = tuple(
        ShownContribution(c.code, c.kind, c.weight, c.label_en if _english() else c.label_nl)
        for c in partial.score.contributions
    )
    return ShownScore(partial.score.total, catalogue.version, rows, partial.unknown)


def _shown(entry: dict[str, Any], catalogue: Catalogue) -> ShownContribution:
    # Written only by score_fields() and migration 0010: {"code", "kind", "weight"}.
    code, weight = str(entry["code"]), float(entry["weight"])
    kind: Kind = METHOD if entry["kind"] == METHOD else INDICATOR
    return ShownContribution(code, kind, weight, item_label(catalogue, code, kind))
