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
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT PL PT RO SK SI ES SE IS LI NO CH"
    .split()
)

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


def _encoded(table: list[tuple[str, ...]]) -> tuple[np.ndarray, list[list[str]]]:
    """Each attribute's values as small integers (columns), with the value of each code."""
    columns = list(zip(*table, strict=True)) if table else [() for _ in ATTRIBUTES]
    codes = np.zeros((len(table), len(ATTRIBUTES)), dtype=np.int64)
    names: list[list[str]] = []
    for index, column in enumerate(columns):
        values = sorted(set(column))
        position = {value: n for n, value in enumerate(values)}
        codes[:, index] = [position[value] for value in column]
        names.append(values)
    return codes, names


def _counts(codes: np.ndarray, sizes: list[int], subset: tuple[int, ...]) -> dict[int, int]:
    """The number of persons per value combination of the subset's attributes."""
    key = np.zeros(codes.shape[0], dtype=np.int64)
    for index in subset:
        key = key * sizes[index] + codes[:, index]
    found, counts = np.unique(key, return_counts=True)
    return dict(zip(found.tolist(), counts.tolist(), strict=True))


def _decoded(
    key: int, subset: tuple[int, ...], sizes: list[int], names: list[list[str]]
) -> tuple[str, ...]:
    values = [ANY] * len(ATTRIBUTES)
    for index in reversed(subset):
        key, code = divmod(key, sizes[index])
        values[index] = names[index][code]
    return tuple(values)


def release(
    persons: Iterable[Person], *, k: int = DEFAULT_K, max_length: int = DEFAULT_MAX_LENGTH
) -> list[Row]:
    """Every combination of 1 to ``max_length`` attributes that describes at least k
    persons, with its count rounded down to a multiple of k; rarer ones again at the coarser
    level where an attribute has one, else suppressed."""
    if k < 2:
        raise ValueError("k must be at least 2")
    fine = [attributes_of(person) for person in persons]
    coarse_table = [
        tuple(coarse(name, value) for name, value in zip(ATTRIBUTES, values, strict=True))
        for values in fine
    ]
    fine_codes, fine_names = _encoded(fine)
    fine_sizes = [len(values) for values in fine_names]
    coarse_codes, coarse_names = _encoded(coarse_table)
    coarse_sizes = [len(values) for values in coarse_names]
    coarsenable = {ATTRIBUTES.index(name) for name in COARSENABLE}
    rows: list[Row] = []
    for length in range(1, max_length + 1):
        for subset in itertools.combinations(range(len(ATTRIBUTES)), length):
            fine_rows, suppressed = [], False
            for key, count in sorted(_counts(fine_codes, fine_sizes, subset).items()):
                values = _decoded(key, subset, fine_sizes, fine_names)
                if count >= k:
                    fine_rows.append(Row(values, "fine", count - count % k))
                else:
                    suppressed = True
            rows.extend(fine_rows)
            if suppressed and coarsenable.intersection(subset):
                shown = {row.values for row in fine_rows}
                rows.extend(
                    _coarse_rows(subset, coarse_codes, coarse_sizes, coarse_names, k, shown)
                )
    return rows


def _coarse_rows(
    subset: tuple[int, ...],
    codes: np.ndarray,
    sizes: list[int],
    names: list[list[str]],
    k: int,
    fine_values: set[tuple[str, ...]],
) -> list[Row]:
    """The subset's combinations at the coarse level that describe at least k persons and
    say something the fine rows do not (their values differ from every fine row's)."""
    rows = []
    for key, count in sorted(_counts(codes, sizes, subset).items()):
        values = _decoded(key, subset, sizes, names)
        if count >= k and values not in fine_values:
            rows.append(Row(values, "coarse", count - count % k))
    return rows


COLUMNS: tuple[str, ...] = ("yearOfRegistration", "combinationLength", "level", *ATTRIBUTES)


def write_csv(rows: Iterable[Row], handle: IO[str], *, year: int, k: int) -> int:
    """The release as CSV (Dutch Excel's convention, as InBeeld's other files): a row per
    released combination; an empty cell means "any value" (not part of the combination)."""
    handle.write(BOM)
    writer = SafeWriter(handle, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow((*COLUMNS, f"count (rounded down to a multiple of {k})"))
    written = 0
    for row in rows:
        length = sum(1 for value in row.values if value != ANY)
        writer.writerow((year, length, row.level, *row.values, row.count))
        written += 1
    return written
