"""The engine's warnings as codes with parameters, and their wording in English and Dutch.

A warning is data: a code that says what is wrong and the numbers or list names it is
about. Whoever shows it chooses the words: the CLI from the plain tables below (it must
stay framework-free and start fast), the web application from its gettext catalogue by
the same codes (``inbeeld/insight/estimation_text.py``). The English wording is also what
``str()`` gives and what ``inbeeld estimate --format json`` prints under ``warnings``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ALL_ZERO_IGNORED = "all_zero_ignored"
NO_OVERLAP = "no_overlap"
NOT_CONVERGED = "not_converged"
FEW_OVERLAPS = "few_overlaps"
BOOTSTRAP_SKIPPED = "bootstrap_skipped"
BOOTSTRAP_SKIPPED_MANY = "bootstrap_skipped_many"
JACKKNIFE_SKIPPED = "jackknife_skipped"
BCA_UNDEFINED = "bca_undefined"
GRID_TRUNCATED = "grid_truncated"
CAP_REACHED = "cap_reached"
SLOW_MIXING = "slow_mixing"

# code → wording per language, with {name} for each parameter.
TEXTS: dict[str, dict[str, str]] = {
    "en": {
        ALL_ZERO_IGNORED: "the all-zero pattern (count {count}) is not observable and was ignored",
        NO_OVERLAP: (
            "lists {first} and {second} have nobody in common; their interaction is taken "
            "as −∞ (no overlap expected)"
        ),
        NOT_CONVERGED: "the model fit did not converge; treat the estimate with caution",
        FEW_OVERLAPS: (
            "only {count} people are on more than one list; the estimate rests on very few "
            "overlaps and is unreliable"
        ),
        BOOTSTRAP_SKIPPED: (
            "{skipped} of {total} bootstrap replicates had no estimate (a small list or "
            "overlap was empty in the resample) and were left out"
        ),
        BOOTSTRAP_SKIPPED_MANY: (
            "{skipped} of {total} bootstrap replicates had no estimate (a small list or "
            "overlap was empty in the resample) and were left out — many, so the interval "
            "is doubtful"
        ),
        JACKKNIFE_SKIPPED: (
            "{skipped} jackknife refits had no estimate and were left out of the acceleration"
        ),
        BCA_UNDEFINED: (
            "the BCa interval is undefined (all bootstrap estimates on one side of the point "
            "estimate); the model-conditional interval is shown instead"
        ),
        GRID_TRUNCATED: (
            "{percent}% of the posterior lies in the top tenth of the grid of unseen numbers "
            "(which ends at {maximum}): where the grid ends shapes the estimate"
        ),
        CAP_REACHED: (
            "{percent}% of the posterior draws lie near the sampler's cap of 21 times the "
            "number seen ({cap}): the posterior is cut off there and the estimate is too low"
        ),
        SLOW_MIXING: (
            "successive posterior draws are strongly correlated: the sampler moves slowly "
            "and may not have found every mode; run it longer (--burnin, --thinning) and "
            "compare seeds"
        ),
    },
    "nl": {
        ALL_ZERO_IGNORED: (
            "het patroon zonder enige lijst (aantal {count}) is niet waarneembaar en is genegeerd"
        ),
        NO_OVERLAP: (
            "lijsten {first} en {second} hebben niemand gemeen; hun interactie is −∞ (geen "
            "overlap verwacht)"
        ),
        NOT_CONVERGED: "de modelschatting convergeerde niet; wees voorzichtig met de uitkomst",
        FEW_OVERLAPS: (
            "slechts {count} mensen staan op meer dan één lijst; de schatting rust op heel "
            "weinig overlap en is onbetrouwbaar"
        ),
        BOOTSTRAP_SKIPPED: (
            "{skipped} van de {total} bootstrap-herhalingen gaven geen schatting (een kleine "
            "lijst of overlap was leeg in de trekking) en zijn weggelaten"
        ),
        BOOTSTRAP_SKIPPED_MANY: (
            "{skipped} van de {total} bootstrap-herhalingen gaven geen schatting (een kleine "
            "lijst of overlap was leeg in de trekking) en zijn weggelaten — veel, dus het "
            "interval is twijfelachtig"
        ),
        JACKKNIFE_SKIPPED: (
            "{skipped} jackknife-herberekeningen gaven geen schatting en tellen niet mee"
        ),
        BCA_UNDEFINED: (
            "het BCa-interval is niet gedefinieerd (alle bootstrap-schattingen liggen aan één "
            "kant van de puntschatting); het interval gegeven het model wordt getoond"
        ),
        GRID_TRUNCATED: (
            "{percent}% van de posterior ligt in het bovenste tiende van het rooster van "
            "aantallen niet-gezien (dat eindigt bij {maximum}): waar het rooster ophoudt, "
            "bepaalt mee de schatting"
        ),
        CAP_REACHED: (
            "{percent}% van de trekkingen ligt dicht bij de bovengrens van de sampler, 21 "
            "keer het aantal gezien ({cap}): de posterior is daar afgekapt en de schatting "
            "is te laag"
        ),
        SLOW_MIXING: (
            "opeenvolgende trekkingen hangen sterk samen: de sampler beweegt traag en heeft "
            "misschien niet elke top van de posterior gevonden; laat hem langer lopen "
            "(--burnin, --thinning) en vergelijk startwaarden (--seed)"
        ),
    },
}

CODES = frozenset(TEXTS["en"])


@dataclass(frozen=True)
class EstimationWarning:
    """One warning: ``code`` (one of ``CODES``) and the values its wording needs.

    ``params`` holds plain JSON values (whole numbers and list names), so a warning can be
    stored and worded again later, in another language.
    """

    code: str
    # Left out of the hash (a dict has none); equality still compares it.
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown warning code {self.code!r}")

    def text(self, lang: str = "en") -> str:
        return TEXTS[lang][self.code].format(**self.params)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}

    def __str__(self) -> str:
        return self.text("en")


__all__ = ["CODES", "TEXTS", "EstimationWarning"]
