"""The three exports (`inbeeld export comensha|htcds|open-data`): what they select, and
their audit. The file formats are framework-free (comensha_file.py, htcds_file.py,
open_data.py); this module feeds them plain records and records who exported what.

Common rules (docs/exports.md):

- a case whose processing is restricted (AVG art. 18) is in no export;
- every export is audited after the file is whole and before it gets its name (the CLI
  renames the temporary file last): a file that exists was always audited. Record-level
  exports name every record (``audit_record_reads``, action ``export``), so that the FG's
  search for one record finds the export; the open-data release is one entry;
- the CLI has no signed-in user: the entry's actor is the command and the operating
  system's user who ran it (as ``keys rotate`` and ``retention`` name themselves).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.db.models import Q
from django.utils import timezone

from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record, audit_record_reads
from inbeeld.cases.models import Case, CaseEvent, CasePerson, EventKind
from inbeeld.privacy.consent import consent_in_force, consents_for
from inbeeld.privacy.encryption import blind_index
from inbeeld.privacy.legal_bases import LegalBasis as ShareBasis
from inbeeld.privacy.models import ConsentScope
from inbeeld.referrals.models import ServiceDelivered
from inbeeld.regions.models import Region
from inbeeld.registration import comensha_file, htcds_file, open_data
from inbeeld.registration.models import Registration, RegistrationStatus
from inbeeld.registration.services import input_of, record_of, registration_errors
from inbeeld.signals.ages import age_on

# The first year an export may ask for (the CLI and the web download alike).
YEAR_FROM = 1990
# Cases are read and written this many at a time: memory stays flat at any number of cases.
CHUNK = 2_000
# Record ids per audit entry of a record-level export (each id is also indexed).
AUDIT_CHUNK = 10_000
# The fields whose refusal means "no valid legal basis" (registration/services.py).
BASIS_FIELDS = ("legal_basis", "consent_signed_by", "consent_date", "minority", "age")


class ExportArgumentError(Exception):
    """Bad input for an export: ``argument`` names the command-line argument at fault."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(f"{argument}: {message}")
        self.argument = argument
        self.message = message


@dataclass
class ExportReport:
    written: int = 0
    # Left out, per reason (e.g. {"legal_basis": 2}).
    skipped: dict[str, int] = field(default_factory=dict)


def region_by_code(code: str) -> Region:
    region = Region.objects.filter(code=code.strip().upper()).first()
    if region is None:
        raise ExportArgumentError(
            "--region", f"unknown region {code!r} (codes as in the reference data, e.g. VR19)"
        )
    return region


def legal_basis_checked(basis: str) -> str:
    if basis not in ShareBasis.values:
        choices = ", ".join(ShareBasis.values)
        raise ExportArgumentError("--basis", f"unknown legal basis {basis!r} (one of: {choices})")
    return basis


def _audit_export(
    *,
    actor: Any = None,
    actor_name: str,
    records: Sequence[Any],
    object_type: str,
    region: Region,
    purpose: Purpose,
    detail: dict[str, Any],
    as_model: Callable[[Any], Any] = lambda record: record,
) -> None:
    """Name every exported record, AUDIT_CHUNK ids per entry; an empty export is one entry.
    ``as_model`` makes the record of an id one chunk at a time (200,000 model instances at
    once would cost hundreds of megabytes)."""
    if not records:
        audit_record(
            actor=actor,
            actor_name=actor_name,
            action=Action.EXPORT,
            object_type=object_type,
            region=region.code,
            purpose=purpose,
            detail={**detail, "records": []},
        )
        return
    for start in range(0, len(records), AUDIT_CHUNK):
        audit_record_reads(
            actor=actor,
            actor_name=actor_name,
            records=[as_model(record) for record in records[start : start + AUDIT_CHUNK]],
            purpose=purpose,
            action=Action.EXPORT,
            detail=detail,
        )


# --- CoMensha ---------------------------------------------------------------------------


def _basis_refusal(registration: Registration) -> str:
    """The field that makes the version's legal basis invalid, or "" when it is valid."""
    errors = registration_errors(input_of(registration), sending=True)
    for name in BASIS_FIELDS:
        if name in errors:
            return name
    if registration.legal_basis == "consent":
        case = registration.case
        recorded = consents_for(case).filter(scope=ConsentScope.COMENSHA)
        if recorded.exists() and not consent_in_force(case, ConsentScope.COMENSHA):
            return "consent_withdrawn"
    return ""


def comensha_registrations(region: Region, year: int) -> tuple[list[Registration], ExportReport]:
    """Per case of the region, the newest version sent to CoMensha (a correction replaces
    the version it corrects; a draft was never sent), dated in ``year``, with a valid legal
    basis. The report counts what was left out and why."""
    newest: dict[int, Registration] = {}
    versions = (
        Registration.objects.filter(region=region, case__restricted=False)
        .exclude(status=RegistrationStatus.DRAFT)
        .select_related("case", "region", "place_municipality")
        .order_by("case_id", "version")
    )
    for registration in versions:
        newest[registration.case_id] = registration
    report = ExportReport()
    chosen = []
    for registration in sorted(newest.values(), key=lambda r: (str(r.lineage), r.version)):
        day = registration.registration_date
        if day is None or day.year != year:
            continue
        reason = _basis_refusal(registration)
        if reason:
            report.skipped[reason] = report.skipped.get(reason, 0) + 1
            continue
        chosen.append(registration)
    return chosen, report


def export_comensha(
    *, region: Region, year: int, handle: IO[str], actor: Any = None, actor_name: str = ""
) -> ExportReport:
    """The CSV of the region's registrations of ``year``; audited as done by ``actor`` (a
    signed-in user on the web) or ``actor_name`` (the CLI's command and system user)."""
    registrations, report = comensha_registrations(region, year)
    handle.write(comensha_file.write_csv(record_of(r) for r in registrations))
    report.written = len(registrations)
    _audit_export(
        actor=actor,
        actor_name=actor_name,
        records=registrations,
        object_type="registration.registration",
        region=region,
        purpose=Purpose.SHARING,
        detail={
            "export": "comensha",
            "year": year,
            "format": comensha_file.FORMAT_VERSION,
            "skipped": dict(sorted(report.skipped.items())),
        },
    )
    return report


# --- HTCDS ------------------------------------------------------------------------------


class _ExportedCase:
    """What the audit needs of an exported case (its model, id and region), without making
    a Case instance per id: at 200,000 cases that alone took seconds."""

    _meta = Case._meta

    def __init__(self, pk: int, region: Region) -> None:
        self.pk = pk
        self.region = region


def case_pseudonym(case_id: int) -> str:
    """A keyed hash of the case: the same in every export of this installation (so that a
    receiver can update what it had), useless without InBeeld's key."""
    return blind_index(str(case_id), purpose="htcds-case")


def _name_parts(name: str) -> tuple[str, str]:
    """InBeeld keeps one name field: its first word as FirstName, the rest as SecondName
    (so "Anna van der Berg" keeps "van der Berg" whole)."""
    words = name.split()
    return (words[0], " ".join(words[1:])) if words else ("", "")


def _case_filter(region: Region, start: date | None, end: date | None) -> Q:
    condition = Q(region=region, restricted=False)
    if start is not None:
        condition &= Q(created_at__date__gte=start)
    if end is not None:
        condition &= Q(created_at__date__lte=end)
    return condition


def _chunks(condition: Q, fields: tuple[str, ...]) -> Iterator[list[dict[str, Any]]]:
    """The matching cases' values, CHUNK at a time, in the order of their id (keyset)."""
    last = 0
    while True:
        rows = list(
            Case.objects.filter(condition, pk__gt=last).order_by("pk").values(*fields)[:CHUNK]
        )
        if not rows:
            return
        yield rows
        last = rows[-1]["pk"]


def _events_of(ids: list[int]) -> dict[int, list[htcds_file.HtcdsEvent]]:
    events: dict[int, list[htcds_file.HtcdsEvent]] = {}
    rows = (
        CaseEvent.objects.filter(case_id__in=ids)
        .order_by("case_id", "start", "created_at", "pk")
        .values_list("case_id", "kind", "municipality__name", "country", "start")
    )
    for case_id, kind, city, country, start in rows:
        events.setdefault(case_id, []).append(
            htcds_file.HtcdsEvent(
                kind=kind, city=city or "", country="NL" if city else country, start=start
            )
        )
    return events


def _services_of(ids: list[int]) -> dict[int, list[htcds_file.HtcdsSupport]]:
    services: dict[int, list[htcds_file.HtcdsSupport]] = {}
    rows = (
        ServiceDelivered.objects.filter(case_id__in=ids)
        .order_by("case_id", "start", "pk")
        .values_list("case_id", "service", "end")
    )
    for case_id, service, end in rows:
        services.setdefault(case_id, []).append(htcds_file.HtcdsSupport(service, end))
    return services


CASE_FIELDS = (
    "pk",
    "reference",
    "status",
    "owner_organisation__name",
    "trafficking_status",
    "decided_by",
    "recruiter_relationship",
    "age_at_exploitation",
    "recruitment_channels",
    "recruitment_methods",
    "control_methods",
    "exploitation_forms",
    "sectors",
)


def htcds_cases(
    region: Region,
    *,
    start: date | None,
    end: date | None,
    identifiers: bool,
    exported: list[int],
) -> Iterator[htcds_file.HtcdsCase]:
    """The region's cases opened in the period as HTCDS cases, CHUNK at a time; each id is
    appended to ``exported`` (for the audit). Names and dates of birth are decrypted only
    when ``identifiers`` is set."""
    person_fields: tuple[str, ...] = ("case_id", "gender", "nationalities")
    if identifiers:
        person_fields += ("name", "date_of_birth")
    for rows in _chunks(_case_filter(region, start, end), CASE_FIELDS):
        ids = [row["pk"] for row in rows]
        people = {
            p["case_id"]: p
            for p in CasePerson.objects.filter(case_id__in=ids).values(*person_fields)
        }
        events, services = _events_of(ids), _services_of(ids)
        for row in rows:
            person = people.get(row["pk"], {})
            first, second = _name_parts(person.get("name", "")) if identifiers else ("", "")
            exported.append(row["pk"])
            yield htcds_file.HtcdsCase(
                key=row["reference"] if identifiers else case_pseudonym(row["pk"]),
                status=row["status"],
                owner_organisation=row["owner_organisation__name"] or "",
                gender=person.get("gender", ""),
                nationalities=person.get("nationalities", []),
                trafficking_status=row["trafficking_status"],
                decided_by=row["decided_by"],
                relationship=row["recruiter_relationship"],
                age_at_exploitation=row["age_at_exploitation"],
                channels=row["recruitment_channels"],
                recruitment_methods=row["recruitment_methods"],
                control_methods=row["control_methods"],
                exploitation_forms=row["exploitation_forms"],
                sectors=row["sectors"],
                events=events.get(row["pk"], []),
                services=services.get(row["pk"], []),
                first_name=first,
                second_name=second,
                birthdate=person.get("date_of_birth", "") if identifiers else "",
            )


def export_htcds(
    *,
    region: Region,
    start: date | None,
    end: date | None,
    file_format: str,
    identifiers: bool,
    basis: str,
    handle: IO[str],
    actor_name: str,
) -> ExportReport:
    """Write the region's cases as HTCDS records (``file_format`` "csv" or "json"), then
    audit the export naming every case (a share when identifiers left, else an export)."""
    exported: list[int] = []
    cases = htcds_cases(region, start=start, end=end, identifiers=identifiers, exported=exported)
    meta = {
        "region": region.code,
        "from": start.isoformat() if start else None,
        "to": end.isoformat() if end else None,
        "pseudonymised": not identifiers,
    }
    if file_format == "json":
        written = htcds_file.write_json(cases, handle, meta=meta)
    else:
        written = htcds_file.write_csv(cases, handle)
    _audit_export(
        actor_name=actor_name,
        records=exported,
        as_model=lambda pk: _ExportedCase(pk, region),
        object_type="cases.case",
        region=region,
        purpose=Purpose.SHARING,
        detail={
            "export": "htcds",
            "format": file_format,
            "from": meta["from"],
            "to": meta["to"],
            "identifiers": identifiers,
            "legal_basis": basis if identifiers else "",
        },
    )
    return ExportReport(written=written)


# --- open data --------------------------------------------------------------------------


def _first_exploitation_country(ids: list[int]) -> dict[int, str]:
    first: dict[int, str] = {}
    rows = (
        CaseEvent.objects.filter(case_id__in=ids, kind=EventKind.EXPLOITATION)
        .order_by("case_id", "start", "created_at", "pk")
        .values_list("case_id", "municipality_id", "country")
    )
    for case_id, municipality, country in rows:
        first.setdefault(case_id, "NL" if municipality else country)
    return first


def _ages(rows: list[dict[str, Any]]) -> dict[int, int]:
    """The age at exploitation; where the case has none, the age on the day the case was
    opened from the date of birth (decrypted only for those cases)."""
    ages = {r["pk"]: r["age_at_exploitation"] for r in rows if r["age_at_exploitation"] is not None}
    missing = {r["pk"]: r["created_at"] for r in rows if r["age_at_exploitation"] is None}
    if missing:
        births = CasePerson.objects.filter(case_id__in=list(missing))
        for case_id, born in births.values_list("case_id", "date_of_birth"):
            if not born:
                continue
            try:
                birth = date.fromisoformat(born)
            except ValueError:
                continue
            ages[case_id] = age_on(birth, timezone.localtime(missing[case_id]).date())
    return ages


def open_data_persons(year: int, counted: list[int]) -> Iterator[open_data.Person]:
    """One person per case opened in ``year``, in every region (restricted ones left out)."""
    condition = Q(created_at__year=year, restricted=False)
    fields = (
        "pk",
        "created_at",
        "exploitation_forms",
        "control_methods",
        "recruiter_relationship",
        "age_at_exploitation",
    )
    for rows in _chunks(condition, fields):
        ids = [row["pk"] for row in rows]
        people = {
            case_id: (gender, nationalities)
            for case_id, gender, nationalities in CasePerson.objects.filter(
                case_id__in=ids
            ).values_list("case_id", "gender", "nationalities")
        }
        countries, ages = _first_exploitation_country(ids), _ages(rows)
        for row in rows:
            gender, nationalities = people.get(row["pk"], ("", []))
            counted.append(row["pk"])
            yield open_data.Person(
                gender=gender,
                age=ages.get(row["pk"]),
                nationalities=nationalities,
                exploitation_country=countries.get(row["pk"], ""),
                exploitation_forms=row["exploitation_forms"],
                control_methods=row["control_methods"],
                recruiter_relationship=row["recruiter_relationship"],
            )


def export_open_data(
    *, year: int, k: int, max_length: int, handle: IO[str], actor_name: str
) -> ExportReport:
    counted: list[int] = []
    rows = open_data.release(open_data_persons(year, counted), k=k, max_length=max_length)
    written = open_data.write_csv(rows, handle, year=year, k=k)
    # Aggregates: one entry, no record named (no record left InBeeld).
    audit_record(
        actor=None,
        actor_name=actor_name,
        action=Action.EXPORT,
        object_type="registration.open_data",
        purpose=Purpose.FIGURES_EXPORT,
        detail={
            "export": "open-data",
            "year": year,
            "k": k,
            "max_length": max_length,
            "persons": len(counted),
            "rows": written,
            "format": open_data.FORMAT_VERSION,
        },
    )
    return ExportReport(written=written)
