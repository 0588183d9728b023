"""The open-data release: CTDC-style de-identified aggregates in which every released
combination describes at least k persons.

Framework-free (an import-linter contract): the Django side (registration/exports.py)
hands over one plain ``Person`` per case of the year, in InBeeld's codes; this module
coarsens, counts and writes. The method is the aggregate release of CTDC's platform
(microsoft/synthetic-data-showcase, ../shared/specs/registration.md "How CTDC
de-identifies"):

1. **Coarsened attributes.** Only categorical attributes, already grouped as the CTDC
   publishes them: age in CTDC's ``ageBroad`` bands, the means of control in the
   synthetic dataset's composites (debt bondage + earnings, psychological/physical/sexual
   abuse, deny basic needs, ...), forms of exploitation as three flags. No region, no
   municipality, no dates but the year, no free text, no identifier.
2. **Short combinations only.** Counts of every combination of up to ``max_length``
   attributes (default 3), never of whole records: a person's full profile is not
   released, and a rare profile cannot be read back from a row.
3. **At least k.** A combination's count is rounded *down* to a multiple of k; one that
   describes fewer than k persons (rounds to 0) is not released as it is. Where an
   attribute has a coarser level (age → four wide bands; citizenship and country of
   exploitation → NL / other EU-EEA / outside the EU-EEA), the combination is counted
   again at that level and released there if that describes at least k persons;
   otherwise it is suppressed.

Rounding down also blurs differences between rows (a count of 2k-1 and one of k both show
k), so that subtracting one released row from another does not give an exact small count.
docs/exports.md says what this protects and what it does not.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

import numpy as np

from inbeeld.lib.safe_csv import SafeWriter

FORMAT_VERSION = "inbeeld-open-data-1"
DEFAULT_K = 11
DEFAULT_MAX_LENGTH = 3
DELIMITER = ";"
BOM = "\ufeff"
UNKNOWN = "unknown"
# A released row marks the attributes that are not part of its combination so (never "").
ANY = ""

# CTDC's ageBroad bands (the CTDC Global Dataset): (lowest age, label).
AGE_BANDS: tuple[tuple[int, str], ...] = (
    (0, "0-8"),
    (9, "9-17"),
    (18, "18-20"),
    (21, "21-23"),
    (24, "24-26"),
    (27, "27-29"),
    (30, "30-38"),
    (39, "39-47"),
    (48, "48+"),
)
# The coarser level of an age band: four wide bands made of whole CTDC bands.
AGE_COARSE: dict[str, str] = {
    "0-8": "0-17",
    "9-17": "0-17",
    "18-20": "18-29",
    "21-23": "18-29",
    "24-26": "18-29",
    "27-29": "18-29",
    "30-38": "30-47",
    "39-47": "30-47",
    "48+": "48+",
}
# The EU and the EEA (and Switzerland, which has free movement with them) without NL: the
# coarser level of a country. Whether a person has free movement matters for residence.
EU_EEA = frozenset(
    ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
     "LV", "LT", "LU", "MT", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "CH")
)  # fmt: skip

# The synthetic dataset's composites of the means of control (InBeeld's codes, cases/codes.py).
MEANS: dict[str, frozenset[str]] = {
    "meansDebtBondageEarnings": frozenset({"debt_bondage", "takes_earnings"}),
    "meansThreats": frozenset({"physical_threats", "threats_law_enforcement", "threatens_family"}),
    "meansAbusePsyPhySex": frozenset({"psychological_abuse", "physical_abuse", "sexual_abuse"}),
    "meansFalsePromises": frozenset({"false_promises"}),
    "meansDrugsAlcohol": frozenset({"psychoactive_substances"}),
    "meansDenyBasicNeeds": frozenset(
        {
            "restricts_financial_access",
            "restricts_movement",
            "restricts_medical_care",
            "withholds_necessities",
        }
    ),
    "meansExcessiveWorkHours": frozenset({"excessive_working_hours"}),
    "meansWithholdDocs": frozenset({"withholds_documents"}),
}
RELATION: dict[str, str] = {
    "intimate_partner": "intimatePartner",
    "acquaintance": "friend",
    "family": "family",
    "unacquainted": "other",
    "other": "other",
    "": UNKNOWN,
}
GENDER: dict[str, str] = {"female": "female", "male": "male", "other": "other", "": UNKNOWN}

ATTRIBUTES: tuple[str, ...] = (
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    *MEANS,
    "recruiterRelation",
)
# The attributes with a coarser level, and how a value becomes coarse.
COARSENABLE = ("ageBroad", "citizenship", "CountryOfExploitation")


@dataclass(frozen=True)
class Person:
    """One case of the year in InBeeld's codes (no name, no date, no place in NL)."""

    gender: str = ""
    age: int | None = None
    nationalities: Sequence[str] = ()
    exploitation_country: str = ""  # ISO code of the first exploitation event's country
    exploitation_forms: Sequence[str] = ()
    control_methods: Sequence[str] = ()
    recruiter_relationship: str = ""


@dataclass(frozen=True)
class Row:
    """A released combination: its attributes' values (the others ANY), its level and its
    count (a multiple of k, at least k)."""

    values: tuple[str, ...]  # one per ATTRIBUTES
    level: str  # "fine" or "coarse"
    count: int


def age_band(age: int | None) -> str:
    if age is None or age < 0:
        return UNKNOWN
    label = UNKNOWN
    for lowest, band in AGE_BANDS:
        if age >= lowest:
            label = band
    return label


def _country_coarse(code: str) -> str:
    if code in ("", UNKNOWN):
        return UNKNOWN
    if code == "NL":
        return "NL"
    return "EU-EEA" if code in EU_EEA else "non-EU-EEA"


def coarse(attribute: str, value: str) -> str:
    """The value at the attribute's coarser level (itself for the others)."""
    if attribute == "ageBroad":
        return AGE_COARSE.get(value, value)
    if attribute in ("citizenship", "CountryOfExploitation"):
        return _country_coarse(value)
    return value


def _flag(present: bool) -> str:
    return "1" if present else "0"


def attributes_of(person: Person) -> tuple[str, ...]:
    """The person's values of ATTRIBUTES, coarsened as the CTDC publishes them."""
    forms = set(person.exploitation_forms)
    controls = set(person.control_methods)
    # The first nationality given: several would make a rare combination by themselves.
    citizenship = (person.nationalities[0] if person.nationalities else "") or UNKNOWN
    return (
        GENDER.get(person.gender, UNKNOWN),
        age_band(person.age),
        citizenship,
        person.exploitation_country or UNKNOWN,
        _flag("labour" in forms),
        _flag("sexual" in forms),
        _flag(bool(forms - {"labour", "sexual"})),
        *(_flag(bool(controls & codes)) for codes in MEANS.values()),
        RELATION.get(person.recruiter_relationship, UNKNOWN),
    )


@dataclass(frozen=True)
class _Level:
    """The table at one level: per attribute, its column of value codes and the values."""

    columns: list[np.ndarray]
    names: list[list[str]]

    @property
    def sizes(self) -> list[int]:
        return [max(1, len(values)) for values in self.names]


def _encoded(table: list[tuple[str, ...]]) -> _Level:
    columns, names = [], []
    for index in range(len(ATTRIBUTES)):
        values = sorted({row[index] for row in table})
        position = {value: n for n, value in enumerate(values)}
        columns.append(
            np.fromiter((position[row[index]] for row in table), dtype=np.int64, count=len(table))
        )
        names.append(values)
    return _Level(columns, names)


def _coarsened(fine: _Level) -> _Level:
    """The coarse level from the fine one, code by code (no second pass over the persons)."""
    columns, names = [], []
    for index, name in enumerate(ATTRIBUTES):
        values = sorted({coarse(name, value) for value in fine.names[index]})
        position = {value: n for n, value in enumerate(values)}
        mapping = np.array(
            [position[coarse(name, value)] for value in fine.names[index]] or [0], dtype=np.int64
        )
        columns.append(mapping[fine.columns[index]])
        names.append(values)
    return _Level(columns, names)


# Up to this many possible keys a subset is counted with bincount (linear); beyond, by sorting.
_BINCOUNT_LIMIT = 4_000_000


def _counts(level: _Level, subset: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The value combinations of the subset's attributes that occur (as keys) and the
    number of persons of each."""
    sizes = level.sizes
    key = level.columns[subset[0]].copy()
    space = sizes[subset[0]]
    for index in subset[1:]:
        key *= sizes[index]
        key += level.columns[index]
        space *= sizes[index]
    if space <= _BINCOUNT_LIMIT:
        counts = np.bincount(key, minlength=1)
        found = np.flatnonzero(counts)
        return found, counts[found]
    return np.unique(key, return_counts=True)


def _decoded(key: int, subset: tuple[int, ...], level: _Level) -> tuple[str, ...]:
    values = [ANY] * len(ATTRIBUTES)
    sizes = level.sizes
    for index in reversed(subset):
        key, code = divmod(key, sizes[index])
        values[index] = level.names[index][code]
    return tuple(values)


def _rows(level: _Level, subset: tuple[int, ...], k: int, name: str) -> tuple[list[Row], bool]:
    """The subset's combinations of at least k persons, and whether any was fewer."""
    found, counts = _counts(level, subset)
    keep = counts >= k
    rows = [
        Row(_decoded(int(key), subset, level), name, int(count - count % k))
        for key, count in zip(found[keep].tolist(), counts[keep].tolist(), strict=True)
    ]
    return rows, bool((~keep).any())


def release(
    persons: Iterable[Person], *, k: int = DEFAULT_K, max_length: int = DEFAULT_MAX_LENGTH
) -> list[Row]:
    """Every combination of 1 to ``max_length`` attributes that describes at least k
    persons, with its count rounded down to a multiple of k; rarer ones again at the coarser
    level where an attribute has one, else suppressed."""
    if k < 2:
        raise ValueError("k must be at least 2")
    table = [attributes_of(person) for person in persons]
    if not table:
        return []
    fine = _encoded(table)
    del table
    coarse_level = _coarsened(fine)
    coarsenable = {ATTRIBUTES.index(name) for name in COARSENABLE}
    rows: list[Row] = []
    for length in range(1, max_length + 1):
        for subset in itertools.combinations(range(len(ATTRIBUTES)), length):
            fine_rows, suppressed = _rows(fine, subset, k, "fine")
            rows.extend(fine_rows)
            if suppressed and coarsenable.intersection(subset):
                # Released at the coarse level only what the fine rows do not already say.
                shown = {row.values for row in fine_rows}
                coarse_rows, _ = _rows(coarse_level, subset, k, "coarse")
                rows.extend(row for row in coarse_rows if row.values not in shown)
    return rows


COLUMNS: tuple[str, ...] = (
    "yearOfRegistration",
    "k",
    "combinationLength",
    "level",
    *ATTRIBUTES,
    "count",
)


def write_csv(rows: Iterable[Row], handle: IO[str], *, year: int, k: int) -> int:
    """The release as CSV (Dutch Excel's convention, as InBeeld's other files): a row per
    released combination; an empty cell means "any value" (not part of the combination);
    ``count`` is rounded down to a multiple of ``k``, which every row repeats."""
    handle.write(BOM)
    writer = SafeWriter(handle, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    written = 0
    for row in rows:
        length = sum(1 for value in row.values if value != ANY)
        writer.writerow((year, k, length, row.level, *row.values, row.count))
        written += 1
    return written
