"""A signal's section of the access export (AVG art. 15): everything InBeeld holds in it.

Built from privacy/export.py's blocks, so that the keys match every other kind's; the keys
are documented in docs/privacy.md (``signals``: a list of these sections).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from inbeeld.privacy.export import (
    Staff,
    audit_export,
    audit_trail,
    consent_export,
    consents_of,
    dated,
    field_entry,
    share_export,
    shares_of,
    staff,
)
from inbeeld.signals.models import (
    ExploitationForm,
    IdentifierKind,
    Signal,
    SignalAttachment,
    SignalMerge,
    SignalNote,
)
from inbeeld.signals.scoring import current_catalogue
from inbeeld.signals.sections import signal_privacy_parts
from inbeeld.tasks.privacy import tasks_export

# The signal's fields in the export, in reading order. Left out on purpose, and said so in
# the export (NOT_INCLUDED): the receipt secret's hash, the idempotency key, the submission's
# digest and the name's keyed hash are technical values that tell nothing about the person.
EXPORT_FIELDS = (
    "receipt_code",
    "created_at",
    "source",
    "source_organisation",
    "region",
    "municipality",
    "place_text",
    "description",
    "incident_date",
    "exploitation_forms",
    "indicators",
    "methods",
    "risk_score",
    "risk_catalogue_version",
    "acute",
    "people_count",
    "victim_name",
    "victim_date_of_birth",
    "victim_age_band",
    "victim_gender",
    "victim_nationality",
    "victim_nationality_text",
    "phone_numbers",
    "reporter_contact",
    "anonymous",
    "status",
    "outcome",
    "closed_at",
    "merged_into",
    "restricted",
    "restriction_reason",
    "erased_at",
    "updated_at",
)
NOT_INCLUDED = (
    _("the hash of the reporter's secret code"),
    _("the technical key against double submission"),
    _("keyed hashes (blind index) of names and phone numbers; their number is given"),
)
# Related rows for the select_related of the export's query.
SELECT_RELATED = ("region", "municipality", "source_organisation", "merged_into")


def code_label(field: str, code: str) -> str:
    """The readable name of a form, indicator or method code, in the current language."""
    if field == "exploitation_forms":
        return str(ExploitationForm(code).label) if code in ExploitationForm.values else code
    catalogue = current_catalogue()
    try:
        item = catalogue.method(code) if field == "methods" else catalogue.indicator(code)
    except KeyError:
        return code  # a code from an older catalogue version: the code is what we hold
    return item.en if get_language() == "en" else item.nl


def signal_export(signal: Signal) -> dict[str, Any]:
    additions = list(signal.additions.all())
    notes = list(signal.notes.all())
    attachments = list(signal.attachments.all())
    shares, consents = shares_of(signal), consents_of(signal)
    merges = list(
        SignalMerge.objects.filter(Q(kept=signal) | Q(merged=signal)).select_related(
            "kept", "merged"
        )
    )
    trail = list(audit_trail(signal, [notes, attachments, shares, consents, merges]))
    assigned = list(signal.assigned_to.values_list("pk", flat=True))
    people = staff(
        assigned
        + [n.author_id for n in notes]
        + [a.uploaded_by_id for a in attachments]
        + [s.to_user_id for s in shares]
        + [e.actor_id for e in trail]
    )
    kinds = list(signal.identifiers.values_list("kind", flat=True))
    return {
        "receipt_code": signal.receipt_code,
        "fields": [field_entry(signal, name, code_label) for name in EXPORT_FIELDS],
        "assigned_to": sorted({people.describe(pk) for pk in assigned}),
        "identifier_hashes": {kind: kinds.count(kind) for kind in IdentifierKind.values},
        "additions": [{"text": a.text, **dated("created_at", a.created_at)} for a in additions],
        "notes": [_note_export(n, people) for n in notes],
        "attachments": [_attachment_export(a, people) for a in attachments],
        "shares": [share_export(s, people) for s in shares],
        "consents": [consent_export(c) for c in consents],
        "merges": [_merge_export(m) for m in merges],
        "tasks": tasks_export(signal),
        "audit_trail": [audit_export(e, people) for e in trail],
        # What the apps that build on a signal hold of it (sections.py: the case table).
        "parts": [
            {"name": part.name, "label": str(part.label), "items": part.export(signal)}
            for part in signal_privacy_parts()
        ],
    }


def _note_export(note: SignalNote, people: Staff) -> dict[str, Any]:
    return {
        "kind": note.kind,
        "kind_text": note.get_kind_display(),
        "text": note.text,
        "source": note.source,
        "author_organisation": people.describe(note.author_id),
        **dated("created_at", note.created_at),
    }


def _attachment_export(attachment: SignalAttachment, people: Staff) -> dict[str, Any]:
    return {
        "file_name": attachment.file_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "uploaded_by_organisation": people.describe(attachment.uploaded_by_id),
        **dated("uploaded_at", attachment.uploaded_at),
    }


def _merge_export(merge: SignalMerge) -> dict[str, Any]:
    return {
        "kept": merge.kept.receipt_code,
        "merged": merge.merged.receipt_code,
        "reason": merge.reason,
        **dated("merged_at", merge.merged_at),
        **dated("undone_at", merge.undone_at),
    }
