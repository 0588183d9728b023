"""The versioned indicator catalogue and the explainable risk score built on it.

The catalogue (``data/indicators.json``) lists signals of human trafficking per form of
exploitation, each with Dutch and English text, a weight and the public source it comes
from. Signal intake uses it for the partner checklist and the public form's guided
questions; triage uses it for the risk score.

This module is framework-free on purpose (standard library only): the catalogue and the
score must be checkable without Django, and the same rules apply in the web app, the API
and the tests.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Literal

#: The five forms of exploitation the region works with. The file must declare all of them;
#: an indicator may name only these.
FORMS: Final[tuple[str, ...]] = ("sexual", "labour", "criminal", "organ_removal", "other")

#: Weights lie in (0, MAX_WEIGHT]. A zero or negative weight would make an indicator
#: meaningless or let it lower the score, which the score must never do.
MAX_WEIGHT: Final[float] = 3.0

DEFAULT_PATH: Final[Path] = Path(__file__).resolve().parent / "data" / "indicators.json"


class CatalogueError(ValueError):
    """The catalogue file is malformed; the message names the entry and the problem."""


@dataclass(frozen=True)
class Source:
    """A public publication an indicator or method is taken from."""

    id: str
    title: str
    publisher: str
    year: int | None
    url: str | None


@dataclass(frozen=True)
class PublicQuestion:
    """A plain question on the public form; answering "yes" means the indicator is seen."""

    nl: str
    en: str


@dataclass(frozen=True)
class Form:
    """A form of exploitation with its labels."""

    code: str
    nl: str
    en: str


@dataclass(frozen=True)
class Indicator:
    """One signal of trafficking, for one or more forms of exploitation."""

    code: str
    forms: tuple[str, ...]
    nl: str
    en: str
    weight: float
    source: str
    public_question: PublicQuestion | None = None


@dataclass(frozen=True)
class Method:
    """A method of control used by exploiters (loverboy technique, debt bondage, ...)."""

    code: str
    nl: str
    en: str
    weight: float
    source: str


#: What a contribution to a score is: an indicator or a method of control.
Kind = Literal["indicator", "method"]
INDICATOR: Final[Kind] = "indicator"
METHOD: Final[Kind] = "method"


@dataclass(frozen=True)
class Contribution:
    """What one indicator or method added to a risk score."""

    code: str
    label_nl: str
    label_en: str
    weight: float
    kind: Kind


@dataclass(frozen=True)
class RiskScore:
    """A total and the contributions it is the sum of, largest first."""

    total: float
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True)
class PartialScore:
    """A score over the codes a catalogue knows, and the codes it does not know."""

    score: RiskScore
    unknown: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    """A validated, immutable catalogue. Build it with :func:`load_catalogue`."""

    version: str
    sources: Mapping[str, Source]
    forms: tuple[Form, ...]
    indicators: tuple[Indicator, ...]
    methods: tuple[Method, ...]

    def indicators_for(self, form: str) -> tuple[Indicator, ...]:
        """The indicators that apply to ``form`` (including the general ones)."""
        if form not in {f.code for f in self.forms}:
            raise KeyError(f"unknown form of exploitation: {form!r}")
        return tuple(i for i in self.indicators if form in i.forms)

    def public_questions(self) -> tuple[Indicator, ...]:
        """The indicators a member of the public can observe, in catalogue order."""
        return tuple(i for i in self.indicators if i.public_question is not None)

    def indicator(self, code: str) -> Indicator:
        for item in self.indicators:
            if item.code == code:
                return item
        raise KeyError(f"no indicator with code {code!r} in catalogue {self.version}")

    def method(self, code: str) -> Method:
        for item in self.methods:
            if item.code == code:
                return item
        raise KeyError(f"no method with code {code!r} in catalogue {self.version}")


# --- loading and validation ----------------------------------------------------------------


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read and validate a catalogue file; the packaged one when ``path`` is None.

    The packaged catalogue is parsed once per process (it does not change at run time);
    an explicit path is read every time, so tests and reviewers see their edits.
    """
    if path is None:
        return _default_catalogue()
    return _parse(path)


@functools.cache
def _default_catalogue() -> Catalogue:
    return _parse(DEFAULT_PATH)


def _parse(path: Path) -> Catalogue:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CatalogueError(f"{path}: cannot read catalogue: {exc}") from exc
    if not isinstance(raw, dict):
        raise CatalogueError(f"{path}: the catalogue must be a JSON object")
    version = raw.get("version")
    if not isinstance(version, str) or not version.strip():
        raise CatalogueError("catalogue: 'version' must be a non-empty string")
    sources = _parse_sources(raw.get("sources"))
    forms = _parse_forms(raw.get("forms"))
    form_codes = {f.code for f in forms}
    indicators = tuple(
        _parse_indicator(entry, form_codes, sources)
        for entry in _list_of_objects(raw.get("indicators"), "indicators")
    )
    methods = tuple(
        _parse_method(entry, sources) for entry in _list_of_objects(raw.get("methods"), "methods")
    )
    _check_unique([i.code for i in indicators] + [m.code for m in methods])
    for form in forms:
        if not any(form.code in i.forms for i in indicators):
            raise CatalogueError(f"form {form.code!r}: no indicator belongs to it")
    return Catalogue(
        version=version,
        sources=MappingProxyType(sources),
        forms=forms,
        indicators=indicators,
        methods=methods,
    )


def _list_of_objects(value: Any, name: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise CatalogueError(f"catalogue: {name!r} must be a list of objects")
    return value


def _parse_sources(value: Any) -> dict[str, Source]:
    if not isinstance(value, dict) or not value:
        raise CatalogueError("catalogue: 'sources' must be a non-empty object")
    sources: dict[str, Source] = {}
    for sid, entry in value.items():
        if not isinstance(entry, dict):
            raise CatalogueError(f"source {sid!r}: must be an object")
        year, url = entry.get("year"), entry.get("url")
        # bool is an int subclass; a "year": true is a typo, not a year.
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise CatalogueError(f"source {sid!r}: 'year' must be an integer or null")
        if url is not None and not isinstance(url, str):
            raise CatalogueError(f"source {sid!r}: 'url' must be a string or null")
        sources[sid] = Source(
            id=sid,
            title=_text(entry, "title", f"source {sid!r}"),
            publisher=_text(entry, "publisher", f"source {sid!r}"),
            year=year,
            url=url,
        )
    return sources


def _parse_forms(value: Any) -> tuple[Form, ...]:
    if not isinstance(value, dict):
        raise CatalogueError("catalogue: 'forms' must be an object")
    unknown = sorted(set(value) - set(FORMS))
    if unknown:
        raise CatalogueError(f"form {unknown[0]!r}: unknown form; known are {', '.join(FORMS)}")
    missing = [f for f in FORMS if f not in value]
    if missing:
        raise CatalogueError(f"form {missing[0]!r}: missing from 'forms'")
    return tuple(
        Form(
            code=code,
            nl=_text(value[code], "nl", f"form {code!r}"),
            en=_text(value[code], "en", f"form {code!r}"),
        )
        for code in FORMS
    )


def _parse_indicator(
    entry: dict[str, Any], form_codes: set[str], sources: Mapping[str, Source]
) -> Indicator:
    code = _code(entry, "indicator")
    where = f"indicator {code!r}"
    forms = entry.get("forms")
    if not isinstance(forms, list) or not forms or not all(isinstance(f, str) for f in forms):
        raise CatalogueError(f"{where}: 'forms' must be a non-empty list of form codes")
    for form in forms:
        if form not in form_codes:
            raise CatalogueError(f"{where}: unknown form {form!r}")
    if len(set(forms)) != len(forms):
        raise CatalogueError(f"{where}: a form is listed twice")
    return Indicator(
        code=code,
        forms=tuple(forms),
        nl=_text(entry, "nl", where),
        en=_text(entry, "en", where),
        weight=_weight(entry, where),
        source=_source(entry, where, sources),
        public_question=_public_question(entry.get("public_question"), where),
    )


def _parse_method(entry: dict[str, Any], sources: Mapping[str, Source]) -> Method:
    code = _code(entry, "method")
    where = f"method {code!r}"
    return Method(
        code=code,
        nl=_text(entry, "nl", where),
        en=_text(entry, "en", where),
        weight=_weight(entry, where),
        source=_source(entry, where, sources),
    )


def _code(entry: dict[str, Any], kind: str) -> str:
    code = entry.get("code")
    if not isinstance(code, str) or not code.strip():
        raise CatalogueError(f"{kind} without a code: {json.dumps(entry, ensure_ascii=False)[:80]}")
    return code


def _text(entry: Any, key: str, where: str) -> str:
    value = entry.get(key) if isinstance(entry, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where}: missing or empty {key!r} text")
    return value


def _weight(entry: dict[str, Any], where: str) -> float:
    weight = entry.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int | float):
        raise CatalogueError(f"{where}: 'weight' must be a number")
    if not (math.isfinite(weight) and 0 < weight <= MAX_WEIGHT):
        raise CatalogueError(f"{where}: weight {weight} out of range (0, {MAX_WEIGHT:g}]")
    return float(weight)


def _source(entry: dict[str, Any], where: str, sources: Mapping[str, Source]) -> str:
    source = entry.get("source")
    if not isinstance(source, str) or source not in sources:
        raise CatalogueError(f"{where}: unknown source id {source!r}")
    return source


def _public_question(value: Any, where: str) -> PublicQuestion | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise CatalogueError(f"{where}: 'public_question' must be null or an object")
    return PublicQuestion(
        nl=_text(value, "nl", f"{where} public question"),
        en=_text(value, "en", f"{where} public question"),
    )


def _check_unique(codes: list[str]) -> None:
    # Indicator and method codes share one namespace: a score's contributions name them.
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise CatalogueError(f"duplicate code {code!r}")
        seen.add(code)


# --- the risk score ------------------------------------------------------------------------


def risk_score(
    catalogue: Catalogue, indicator_codes: Iterable[str], method_codes: Iterable[str] = ()
) -> RiskScore:
    """Sum the weights of the distinct indicators and methods observed.

    Deliberately a plain sum: the care coordinator must be able to see, and explain to a
    partner or a court, exactly why a signal scores what it scores. Every contribution is
    listed; there are no hidden interactions, thresholds per form or learnt parameters.
    Because all weights are positive, adding an observation never lowers the total, and
    the order or repetition of codes does not change it (``math.fsum`` is exactly rounded,
    so this holds in floating point too).

    An unknown code raises ``ValueError``: silently skipping it would under-score a signal.
    """
    indicators, methods = tuple(indicator_codes), tuple(method_codes)
    partial = risk_score_known(catalogue, indicators, methods)
    if partial.unknown:
        code = partial.unknown[0]
        kind = INDICATOR if code in indicators else METHOD
        raise ValueError(f"unknown {kind} code {code!r} (catalogue {catalogue.version})")
    return partial.score


def risk_score_known(
    catalogue: Catalogue, indicator_codes: Iterable[str], method_codes: Iterable[str] = ()
) -> PartialScore:
    """The score over the codes ``catalogue`` knows, and the codes it does not know.

    For showing what a newer catalogue would make of an old signal: a code the newer
    catalogue dropped is named, never silently left out and never an error. New signals
    are scored with :func:`risk_score`, which refuses unknown codes.
    """
    contributions: dict[str, Contribution] = {}
    unknown: dict[str, None] = {}  # in the order met: indicators first, then methods
    seen: set[tuple[Kind, str]] = set()
    for codes, kind in ((indicator_codes, INDICATOR), (method_codes, METHOD)):
        for code in codes:
            if (kind, code) in seen:
                continue
            seen.add((kind, code))
            found = _contribution(catalogue, code, kind)
            if found is None:
                unknown.setdefault(code, None)  # an indicator's code is no method's
            else:
                contributions.setdefault(code, found)
    ordered = tuple(sorted(contributions.values(), key=lambda c: (-c.weight, c.code)))
    score = RiskScore(total=math.fsum(c.weight for c in ordered), contributions=ordered)
    return PartialScore(score=score, unknown=tuple(unknown))


def _contribution(catalogue: Catalogue, code: str, kind: Kind) -> Contribution | None:
    try:
        item: Indicator | Method = (
            catalogue.method(code) if kind == METHOD else catalogue.indicator(code)
        )
    except KeyError:
        return None
    return Contribution(
        code=item.code, label_nl=item.nl, label_en=item.en, weight=item.weight, kind=kind
    )
