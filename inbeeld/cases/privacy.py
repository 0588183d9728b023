"""Cases' registration with privacy/ (registry.py): what happens to a case and its rows.

Retention (docs/privacy.md, "Cases"): a closed case goes five years after closing, whether
closed or closed and referred; a region may set another period. Open and restricted cases
stay, and say so on the FG's retention page. A removed case takes its person, events, notes,
status changes and links to signals with it (the signals themselves keep their own rules);
its shares go with it through privacy/ (the share record of a removed record is removed by
the retention run like any share of a removed signal).

Data-subject rights: the FG finds a case by the keyed hash of the person's name. Erasure is
refused while the case is open and not restricted: partners act on it (AVG art. 17(3)(b)
and (e)); the FG restricts first, or the case is closed.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.cases.codes import CODED_LISTS, CONTEXT_FIELDS, code_labels
from inbeeld.cases.concurrency import case_version_bump
from inbeeld.cases.models import Case, CasePerson, CaseStatus, EventKind
from inbeeld.cases.sections import case_privacy_parts
from inbeeld.privacy.export import (
    audit_export,
    audit_trail,
    consent_export,
    consents_of,
    dated,
    field_entry,
    share_export,
    shares_of,
    staff,
    when,
)
from inbeeld.privacy.registry import (
    Kept,
    PersonalDataKind,
    RecordSummary,
    Related,
    SubjectQuery,
    SubjectRights,
    registry,
)
from inbeeld.privacy.retention import RetentionRule
from inbeeld.signals.models import ExploitationForm

ERASED = "[erased]"
# Five years after closing (docs/privacy.md): long enough for a criminal case and a residence
# procedure that follow, and for the person's return to care, which is common.
CLOSED_CASE_DAYS = 1826

RULES = (
    RetentionRule(
        "case_closed",
        gettext_lazy("Closed cases"),
        "cases.Case",
        "closed_at",
        "region",
        CLOSED_CASE_DAYS,
        condition=(("status", CaseStatus.CLOSED), ("restricted", False)),
    ),
    RetentionRule(
        "case_closed_referred",
        gettext_lazy("Cases closed and referred"),
        "cases.Case",
        "closed_at",
        "region",
        CLOSED_CASE_DAYS,
        condition=(("status", CaseStatus.CLOSED_REFERRED), ("restricted", False)),
    ),
)
KEPT = (
    Kept(
        gettext_lazy("Kept while the case is open; once closed, the periods above apply."),
        label=gettext_lazy("Open cases"),
    ),
    Kept(
        gettext_lazy("Kept until the FG lifts the restriction; then the periods above apply."),
        label=gettext_lazy("Cases whose processing is restricted (AVG art. 18)"),
    ),
)
GO_WITH_CASE = gettext_lazy("Removed with their case.")
RELATED = (
    Related(
        "cases.CasePerson",
        gettext_lazy("The person of a case"),
        gettext_lazy("Removed with the case; name and date of birth emptied when it is erased."),
    ),
    Related("cases.CaseEvent", gettext_lazy("Events of a case"), GO_WITH_CASE),
    Related(
        "cases.CaseNote",
        gettext_lazy("Notes on a case"),
        gettext_lazy(
            'Removed with the case. When the case is erased, their text becomes "[erased]".'
        ),
    ),
    Related("cases.CaseChange", gettext_lazy("Status changes of a case"), GO_WITH_CASE),
    Related(
        "cases.CaseTransfer",
        gettext_lazy("Transfers of a case to another region"),
        gettext_lazy(
            'Removed with the case. When the case is erased, their texts become "[erased]".'
        ),
    ),
    Related(
        "cases.CaseSignal",
        gettext_lazy("Links between a case and signals"),
        gettext_lazy("Removed with the case or the signal; the signal keeps its own rules."),
    ),
)
CASE_FIELDS = (
    "reference",
    "created_at",
    "region",
    "owner_organisation",
    "municipality",
    "trafficking_status",
    "decided_by",
    "exploitation_forms",
    *CONTEXT_FIELDS,
    "status",
    "outcome",
    "closed_at",
    "restricted",
    "restriction_reason",
    "erased_at",
    "updated_at",
)
PERSON_FIELDS = ("name", "date_of_birth", "gender", "nationalities", "age_band")


def _label(field: str, code: str) -> str:
    if field == "exploitation_forms" and code in ExploitationForm.values:
        return str(ExploitationForm(code).label)
    if field in CODED_LISTS:
        return code_labels(field, [code])[0]
    return code


def case_export(case: Case) -> dict[str, Any]:
    person = CasePerson.objects.filter(case=case).first()
    notes, events = list(case.notes.all()), list(case.events.select_related("municipality"))
    shares, consents = shares_of(case), consents_of(case)
    trail = list(audit_trail(case, [notes, shares]))
    people = staff([n.author_id for n in notes] + [e.actor_id for e in trail])
    return {
        "reference": case.reference,
        "fields": [field_entry(case, name, _label) for name in CASE_FIELDS],
        "person": [field_entry(person, name) for name in PERSON_FIELDS] if person else [],
        "events": [
            {
                "kind": event.kind,
                "kind_text": str(EventKind(event.kind).label),
                "place": str(event.municipality or event.country),
                **dated("start", event.start),
                **dated("end", event.end),
            }
            for event in events
        ],
        "signals": list(case.case_signals.values_list("signal__receipt_code", flat=True)),
        "notes": [
            {
                "text": note.text,
                "author_organisation": people.describe(note.author_id),
                **dated("created_at", note.created_at),
            }
            for note in notes
        ],
        "shares": [share_export(s, people) for s in shares],
        "consents": [consent_export(c) for c in consents],
        "audit_trail": [audit_export(e, people) for e in trail],
        # What the apps that build on a case hold of it (sections.py: referrals, ...).
        "parts": [
            {"name": part.name, "label": str(part.label), "items": part.export(case)}
            for part in case_privacy_parts()
        ],
    }


def _transfers_erase(case: Case) -> int:
    transfers = list(case.transfers.all())
    for transfer in transfers:
        transfer.message = ERASED
        transfer.reason = ERASED if transfer.reason else ""
        transfer.save(update_fields=["message", "reason"])
    return len(transfers)


class CaseRights(SubjectRights[Case]):
    slug = "dossiers"
    singular = gettext_lazy("Case")
    export_key = "cases"
    export_template = "cases/privacy_export.html"
    not_included = (gettext_lazy("the keyed hash (blind index) of the person's name"),)
    select_related = ("region", "municipality", "owner_organisation")
    erasure_explanation = gettext_lazy(
        "Empties the person's name and date of birth, the outcome, and the texts of the "
        "notes. What the statistics need stays: region, municipality, dates, forms of "
        "exploitation, trafficking status, events, status, age band, gender and "
        "nationalities. This cannot be undone."
    )

    def matches(self, query: SubjectQuery) -> dict[int, set[str]]:
        if not query.name_index:
            return {}
        found = CasePerson.objects.filter(name_index=query.name_index)
        return {pk: {"name"} for pk in found.values_list("case_id", flat=True)}

    def date_of_birth(self, record: Case) -> str:
        person = CasePerson.objects.filter(case=record).first()
        return person.date_of_birth if person else ""

    def summary(self, record: Case) -> RecordSummary:
        return RecordSummary(
            code=record.reference,
            region=record.region,
            received=record.created_at,
            status=record.get_status_display(),
            restricted=record.restricted,
            restriction_reason=record.restriction_reason,
            erased_at=record.erased_at,
        )

    def export(self, record: Case) -> dict[str, Any]:
        return case_export(record)

    def erasure_refusal(self, record: Case) -> str:
        if record.erased_at is not None:
            return _("The identifying data of this case were already erased on %(when)s.") % {
                "when": when(record.erased_at)
            }
        if record.is_open and not record.restricted:
            return _(
                "This case is open: partners are acting on it, and the record of what was "
                "shared and done is still needed for the care and for legal claims (AVG art. "
                "17(3)(b) and (e)). Restrict processing first, with the reason; after that the "
                "case can be erased."
            )
        return ""

    def erase(self, record: Case) -> dict[str, int]:
        record.outcome = ERASED if record.outcome else ""
        record.erased_at = timezone.now()
        record.save(update_fields=["outcome", "erased_at", "updated_at"])
        case_version_bump(record)
        return {
            "person": CasePerson.objects.filter(case=record).update(
                name="", name_index="", date_of_birth=""
            ),
            "notes": record.notes.update(text=ERASED),
            "transfers": _transfers_erase(record),
            **{part.name: part.erase(record) for part in case_privacy_parts()},
        }

    def is_restricted(self, record: Case) -> bool:
        return record.restricted

    def restrict(self, record: Case, reason: str) -> None:
        record.restricted, record.restriction_reason = True, reason
        record.save(update_fields=["restricted", "restriction_reason", "updated_at"])
        case_version_bump(record)

    def lift(self, record: Case) -> None:
        record.restricted, record.restriction_reason = False, ""
        record.save(update_fields=["restricted", "restriction_reason", "updated_at"])
        case_version_bump(record)


CASES = registry.register(
    PersonalDataKind(
        model=Case,
        label=gettext_lazy("Cases"),
        retention=RULES,
        kept=KEPT,
        related=RELATED,
        subject=CaseRights(),
    )
)
