"""Importing a partner's list of signals or registrations: checked whole, all or nothing.

One path for the web page and the CLI:

1. the file's keyed digest: a file imported before (same organisation and kind) makes
   nothing again and says so;
2. the reading and checking of every cell (table.py, framework-free): any problem refuses
   the whole file, every problem listed with its line and column;
3. the domain's own rules for every row, through the apps' services (signals:
   ``signals_import_partner``; registrations: ``registration_errors`` with the sending
   rules, so the legal basis and the minors rule hold, then ``registration_save``), inside
   one transaction: any refused row rolls everything back; a dry run always does;
4. an ``ImportRun`` with the digest and the counts, audited. The file itself is never
   stored: the caller's bytes are dropped when this returns.

Each row's natural key is the partner's ``reference``: imported again with the same content
it makes nothing; with other content it is refused (nothing is changed by an import).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from inbeeld.accounts.models import Organisation, Role, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.cases.access import case_get_for
from inbeeld.cases.models import Case
from inbeeld.imports.columns import registration_columns, signal_columns
from inbeeld.imports.models import ImportedRegistration, ImportKind, ImportOutcome, ImportRun
from inbeeld.imports.table import ImportRefusedError, Issue, Row, gettext_noop, parse
from inbeeld.privacy.encryption import blind_index
from inbeeld.regions.models import Municipality
from inbeeld.registration.services import (
    RegistrationInput,
    registration_errors,
    registration_save,
)
from inbeeld.signals.access import intake_organisations
from inbeeld.signals.services import SignalInput, signals_import_partner


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    outcome: str
    rows: int = 0
    created: int = 0
    existing: int = 0
    issues: list[Issue] = field(default_factory=list)
    run: ImportRun | None = None
    # The earlier import of the same file, when there was one.
    earlier: ImportRun | None = None


def file_digest(data: bytes) -> str:
    """Keyed, so that the digest cannot confirm a guessed file without InBeeld's key."""
    import hashlib

    return blind_index(hashlib.sha256(data).hexdigest(), purpose="import file")


# --- who may import for which organisation -------------------------------------------------


def import_organisations(user: User, kind: str) -> list[Organisation]:
    """The organisations the user may import this kind for: signals, those the user enters
    signals for (as the API's POST); registrations, those the user coordinates cases in."""
    if kind == ImportKind.SIGNALS:
        if not user.has_perm("signals.add_signal"):
            return []
        return list(intake_organisations(user).select_related("region"))
    if not user.has_perm("registration.register_victims"):
        return []
    return list(
        Organisation.objects.filter(
            memberships__user=user, memberships__role=Role.ZORGCOORDINATOR, active=True
        )
        .select_related("region")
        .distinct()
    )


# --- the import ------------------------------------------------------------------------------


def import_file(
    *,
    by: User,
    organisation: Organisation,
    kind: str,
    data: bytes,
    filename: str,
    dry_run: bool,
) -> ImportReport:
    if organisation not in import_organisations(by, kind):
        raise Http404
    digest = file_digest(data)
    earlier = (
        ImportRun.objects.filter(
            organisation=organisation, kind=kind, digest=digest, outcome=ImportOutcome.IMPORTED
        )
        .order_by("created_at")
        .first()
    )
    report = ImportReport(kind=kind, dry_run=dry_run, outcome=ImportOutcome.ALREADY)
    # One transaction: the rows and the run that names the file's digest commit together,
    # so the same file sent twice at once cannot be imported twice (import_file_once).
    with transaction.atomic():
        if earlier is not None:
            report.earlier = earlier
            report.rows = earlier.rows
            report.existing = earlier.created + earlier.existing
        else:
            _check_and_write(report, by=by, organisation=organisation, data=data, filename=filename)
        report.run = _record(report, by=by, organisation=organisation, digest=digest)
    return report


def _check_and_write(
    report: ImportReport, *, by: User, organisation: Organisation, data: bytes, filename: str
) -> None:
    columns = signal_columns() if report.kind == ImportKind.SIGNALS else registration_columns()
    try:
        rows = parse(
            data,
            filename,
            columns,
            max_bytes=settings.IMPORT_MAX_BYTES,
            max_rows=settings.IMPORT_MAX_ROWS,
        )
    except ImportRefusedError as refused:
        report.outcome = ImportOutcome.REFUSED
        report.issues = refused.issues
        return
    report.rows = len(rows)
    write = _write_signals if report.kind == ImportKind.SIGNALS else _write_registrations
    with transaction.atomic():
        issues = write(report, rows, by=by, organisation=organisation)
        if issues or report.dry_run:
            # All or nothing: one refused row undoes every row; a dry run undoes all.
            transaction.set_rollback(True)
    report.issues = issues
    if issues:
        report.outcome = ImportOutcome.REFUSED
        report.created = 0
    else:
        report.outcome = ImportOutcome.CHECKED if report.dry_run else ImportOutcome.IMPORTED


Writer = Callable[..., list[Issue]]


def _row_issues(row: Row, errors: dict[str, list[str]], columns: dict[str, str]) -> list[Issue]:
    """A service's errors per field as issues naming the row's line and the file's column."""
    issues = []
    for name, messages in errors.items():
        column = columns.get(name, name)
        for message in messages:
            # Already translated by the service: "%" would be read as a parameter.
            issues.append(Issue(message.replace("%", "%%"), line=row.line, column=column))
    return issues


def _write_signals(
    report: ImportReport, rows: Sequence[Row], *, by: User, organisation: Organisation
) -> list[Issue]:
    municipalities = {m.code: m for m in Municipality.objects.select_related("region")}
    items = [(row.values["reference"], _signal_input(row, municipalities)) for row in rows]
    result = signals_import_partner(
        items=items, by=by, organisation=organisation, write=not report.dry_run
    )
    issues: list[Issue] = []
    for index, errors in sorted(result.errors.items()):
        issues.extend(_row_issues(rows[index], errors, _SIGNAL_COLUMNS))
    report.existing = len(result.existing)
    if report.dry_run:
        report.created = len(rows) - len(result.existing) - len(result.errors)
    else:
        report.created = len(result.created)
    return issues


# The service's field names that differ from the file's columns.
_SIGNAL_COLUMNS = {"place_text": "place"}


def _signal_input(row: Row, municipalities: dict[str, Municipality]) -> SignalInput:
    v = row.values
    return SignalInput(
        municipality=municipalities[v["municipality"]],
        description=v["description"],
        place_text=v["place"],
        incident_date=v["incident_date"],
        exploitation_forms=v["exploitation_forms"],
        indicators=v["indicators"],
        methods=v["methods"],
        acute=v["acute"],
        people_count=v["people_count"],
        victim_name=v["victim_name"],
        victim_date_of_birth=v["victim_date_of_birth"],
        victim_age_band=v["victim_age_band"],
        victim_gender=v["victim_gender"],
        victim_nationality=v["victim_nationality"],
    )


def _registration_input(row: Row, municipalities: dict[str, Municipality]) -> RegistrationInput:
    v = row.values
    place = v["place_municipality"]
    return RegistrationInput(
        registration_date=v["registration_date"],
        reporter_type=v["reporter_type"],
        police_unit=v["police_unit"],
        dossier_type=v["dossier_type"],
        exploitation_forms=v["exploitation_forms"],
        sectors=v["sectors"],
        nationalities=v["nationalities"],
        age=v["age"],
        minority=v["minority"],
        gender=v["gender"],
        place_municipality=municipalities[place] if place else None,
        place_country=v["place_country"],
        recruitment_methods=v["recruitment_methods"],
        control_methods=v["control_methods"],
        legal_basis=v["legal_basis"],
        consent_signed_by=v["consent_signed_by"],
        consent_date=v["consent_date"],
    )


def _content_digest(data: RegistrationInput, case: Case) -> str:
    values = {name: getattr(data, name) for name in RegistrationInput.__dataclass_fields__}
    values.pop("fields_set", None)
    values["place_municipality"] = data.place_municipality.code if data.place_municipality else ""
    values["case"] = case.pk
    return blind_index(repr(sorted((k, repr(v)) for k, v in values.items())), purpose="import row")


def _write_registrations(
    report: ImportReport, rows: Sequence[Row], *, by: User, organisation: Organisation
) -> list[Issue]:
    municipalities = {m.code: m for m in Municipality.objects.all()}
    issues: list[Issue] = []
    seen_cases: dict[int, int] = {}
    seen_references: dict[str, int] = {}
    pending: list[tuple[str, str, Any]] = []
    for row in rows:
        reference = row.values["reference"]
        reference_digest = blind_index(reference, purpose="import reference")
        if reference_digest in seen_references:
            issues.append(
                Issue(
                    gettext_noop(
                        "The reference appears twice in the file (also on line %(line)d)."
                    ),
                    {"line": seen_references[reference_digest]},
                    line=row.line,
                    column="reference",
                )
            )
            continue
        seen_references[reference_digest] = row.line
        case = _case_for(by, row.values["case"])
        if case is None:
            issues.append(
                Issue(
                    gettext_noop(
                        "No case with this reference that you may change (a case of a region "
                        "you coordinate)."
                    ),
                    line=row.line,
                    column="case",
                )
            )
            continue
        if case.pk in seen_cases:
            issues.append(
                Issue(
                    gettext_noop("The case appears twice in the file (also on line %(line)d)."),
                    {"line": seen_cases[case.pk]},
                    line=row.line,
                    column="case",
                )
            )
            continue
        seen_cases[case.pk] = row.line
        data = _registration_input(row, municipalities)
        content = _content_digest(data, case)
        earlier = ImportedRegistration.objects.filter(
            organisation=organisation, reference_digest=reference_digest
        ).first()
        if earlier is not None:
            if earlier.content_digest == content:
                report.existing += 1
            else:
                issues.append(
                    Issue(
                        gettext_noop(
                            "This reference was imported before with other content. Nothing is "
                            "changed by an import: change the registration on its case's page."
                        ),
                        line=row.line,
                        column="reference",
                    )
                )
            continue
        # The registration's rules as for sending: a complete legal basis, the minors rule.
        errors = registration_errors(data, sending=True)
        if not errors:
            try:
                with transaction.atomic():
                    registration = registration_save(by=by, case=case, data=data)
            except ValidationError as error:
                errors = error.message_dict
            else:
                pending.append((reference_digest, content, registration))
        issues.extend(_row_issues(row, errors, {}))
    report.created = len(pending)
    if pending and not issues and not report.dry_run:
        run = _placeholder_run(report, by=by, organisation=organisation)
        ImportedRegistration.objects.bulk_create(
            ImportedRegistration(
                organisation=organisation,
                reference_digest=reference_digest,
                content_digest=content,
                registration=registration,
                run=run,
            )
            for reference_digest, content, registration in pending
        )
    return issues


def _case_for(user: User, reference: str) -> Case | None:
    found = Case.objects.filter(reference=reference.strip().upper()).only("pk").first()
    if found is None:
        return None
    try:
        return case_get_for(user, found.pk, need="edit")
    except Http404:
        return None


def _placeholder_run(report: ImportReport, *, by: User, organisation: Organisation) -> ImportRun:
    """The run the imported rows point at, made inside the import's transaction (and so
    undone with it); ``_record`` completes it."""
    run = ImportRun.objects.create(
        kind=report.kind,
        organisation=organisation,
        region_id=organisation.region_id,
        created_by=by,
        digest="",
        outcome=ImportOutcome.IMPORTED,
    )
    report.run = run
    return run


def _record(
    report: ImportReport, *, by: User, organisation: Organisation, digest: str
) -> ImportRun:
    run = report.run or ImportRun(
        kind=report.kind,
        organisation=organisation,
        region_id=organisation.region_id,
        created_by=by,
    )
    run.digest = digest
    run.dry_run = report.dry_run
    run.outcome = report.outcome
    run.rows = report.rows
    run.created = report.created if report.outcome != ImportOutcome.REFUSED else 0
    run.existing = report.existing
    run.errors = len(report.issues)
    run.save()
    # No personal data in the entry: the kind, the counts, the outcome; never the file.
    audit_record(
        actor=by,
        action=Action.CREATE if report.outcome == ImportOutcome.IMPORTED else Action.READ,
        target=run,
        purpose=Purpose.SIGNAL_INTAKE if report.kind == ImportKind.SIGNALS else Purpose.CASE_WORK,
        detail={
            "kind": report.kind,
            "organisation": organisation.pk,
            "dry_run": report.dry_run,
            "outcome": report.outcome,
            "rows": report.rows,
            "created": run.created,
            "existing": report.existing,
            "errors": run.errors,
        },
    )
    return run
