"""Data-subject rights (AVG art. 15, 17, 18): what the FG does for one person.

The FG finds a person's signals by the keyed hashes of their name or phone number (no bulk
decryption), limited to the FG's own regions. Restricted signals are hidden from everyone
else (``signals.access.signals_visible_to``); this module is the FG's only way to them.

Every step is recorded twice: a ``DataSubjectRequest`` (what was done and why, no identifying
data) and audit entries without content.

Erasure rule (documented in docs/privacy.md): erasure is refused while partners act on the
signal (at the case table, or transferred directly), because the record of what was shared
and done is then still needed for the handling and for legal claims (AVG art. 17(3)(b) and
(e)). The FG first restricts processing, with its reason, which takes the signal out of
everyone's hands; after that erasure is possible. An erased signal cannot be erased again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries.fields import CountryField

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import Membership, Role, User
from inbeeld.audit.models import Action, AuditEntry, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.privacy.models import Consent, DataSubjectRequest, RequestKind, Share
from inbeeld.signals.identifiers import name_index, phone_index, phone_numbers_in
from inbeeld.signals.indicators import load_catalogue
from inbeeld.signals.models import (
    ExploitationForm,
    IdentifierKind,
    Signal,
    SignalAttachment,
    SignalIdentifier,
    SignalMerge,
    SignalNote,
    Status,
)

PURPOSE = Purpose.DATA_SUBJECT_REQUEST
ERASED = "[erased]"
EXPORT_FORMAT = "inbeeld-access-export/1"
RECORD_PREFIX = "signals.signal:"

# The signal's fields in the export, in reading order. Left out on purpose, and said so in
# the export: the receipt secret's hash, the idempotency key, the submission's digest and the
# name's keyed hash are technical values that tell nothing about the person.
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
# Emptied by erasure; the description is required, so it keeps a fixed marker instead.
ERASED_FIELDS = (
    "victim_name",
    "victim_name_index",
    "victim_date_of_birth",
    "victim_nationality",
    "victim_nationality_text",
    "reporter_contact",
    "phone_numbers",
    "place_text",
    "submission_digest",  # a keyed digest of the submission, names included
)
# Partners act on these: erasure waits until the FG has restricted processing first.
ERASURE_NEEDS_RESTRICTION = (Status.CASE_TABLE, Status.TRANSFERRED)


def fg_signals(user: User) -> QuerySet[Signal]:
    """Every signal in the FG's regions, restricted ones included (only the FG sees those)."""
    return Signal.objects.filter(region__in=regions_where(user, Role.FG))


def fg_signal_get(*, user: User, signal_id: int) -> Signal:
    """One signal in the FG's regions (the read is audited), else 404."""
    try:
        signal = fg_signals(user).select_related("region").get(pk=signal_id)
    except Signal.DoesNotExist:
        raise Http404 from None
    audit_record(actor=user, action=Action.READ, target=signal, purpose=PURPOSE)
    return signal


# --- search ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    signal: Signal
    matched_by: tuple[str, ...]  # "name", "phone"
    date_of_birth_known: bool  # False: the signal has none, so the FG must judge the match


def _ids_by_identifier(kind: str, indexes: Iterable[str]) -> set[int]:
    return set(
        SignalIdentifier.objects.filter(kind=kind, index__in=list(indexes)).values_list(
            "signal_id", flat=True
        )
    )


@transaction.atomic
def subject_search(
    *, user: User, name: str = "", date_of_birth: date | None = None, phone: str = ""
) -> list[SearchHit]:
    """The FG's signals whose name or phone hash matches; a date of birth narrows the names.

    Only name-matched candidates are decrypted to compare the date of birth. A signal
    without a date of birth stays in the list, marked, so the FG decides.
    """
    matched: dict[int, set[str]] = {}
    index = name_index(name) if name else ""
    if index:
        by_name = _ids_by_identifier(IdentifierKind.NAME, [index])
        by_name |= set(Signal.objects.filter(victim_name_index=index).values_list("pk", flat=True))
        for pk in by_name:
            matched.setdefault(pk, set()).add("name")
    numbers = phone_numbers_in(phone) if phone else []
    for pk in _ids_by_identifier(IdentifierKind.PHONE, (phone_index(n) for n in numbers)):
        matched.setdefault(pk, set()).add("phone")
    signals = fg_signals(user).filter(pk__in=matched).select_related("region")
    hits = []
    for signal in signals.order_by("created_at"):
        known = bool(signal.victim_date_of_birth)
        if date_of_birth and known and signal.victim_date_of_birth != date_of_birth.isoformat():
            continue
        hits.append(SearchHit(signal, tuple(sorted(matched[signal.pk])), known))
    _audit_search(user=user, hits=hits, by_name=bool(index), by_phone=bool(numbers))
    return hits


def _audit_search(*, user: User, hits: Sequence[SearchHit], by_name: bool, by_phone: bool) -> None:
    detail = {"step": "search", "by_name": by_name, "by_phone": by_phone, "found": len(hits)}
    if not hits:
        audit_record(
            actor=user,
            action=Action.READ,
            object_type="signals.signal",
            purpose=PURPOSE,
            detail=detail,
        )
    for hit in hits:
        audit_record(
            actor=user,
            action=Action.READ,
            target=hit.signal,
            purpose=PURPOSE,
            detail=detail,
        )


# --- access (art. 15) -------------------------------------------------------------------


def _record_ids(request: DataSubjectRequest) -> list[int]:
    return [
        int(r.removeprefix(RECORD_PREFIX)) for r in request.records if r.startswith(RECORD_PREFIX)
    ]


@transaction.atomic
def access_request_record(
    *, by: User, signals: Sequence[Signal], reason: str
) -> DataSubjectRequest:
    """Record an access request for the chosen signals; the export is made from it."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for this request.")]})
    ids = sorted({s.pk for s in signals})
    if not ids:
        raise ValidationError({"signals": [_("Choose at least one signal.")]})
    if fg_signals(by).filter(pk__in=ids).count() != len(ids):
        raise Http404  # a signal outside the FG's regions: as if it did not exist
    request = DataSubjectRequest.objects.create(
        kind=RequestKind.ACCESS,
        reason=reason.strip(),
        records=[f"{RECORD_PREFIX}{pk}" for pk in ids],
        handled_by=by,
    )
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=request,
        purpose=PURPOSE,
        detail={"kind": RequestKind.ACCESS, "records": len(ids)},
    )
    return request


def access_request_get_for(*, user: User, request_id: int) -> DataSubjectRequest:
    """An access request all of whose signals lie in the FG's regions, else 404."""
    request = DataSubjectRequest.objects.filter(pk=request_id, kind=RequestKind.ACCESS).first()
    if request is None:
        raise Http404
    ids = _record_ids(request)
    outside = Signal.objects.filter(pk__in=ids).exclude(pk__in=fg_signals(user))
    if not ids or outside.exists():
        raise Http404
    return request


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y H:i")
    return date_format(value, "j F Y")


def _field_entry(signal: Signal, name: str) -> dict[str, Any]:
    field = Signal._meta.get_field(name)
    value = getattr(signal, name)
    if isinstance(field, models.ForeignKey):
        raw: Any = getattr(signal, field.attname)
        text = str(value) if value is not None else ""
    elif isinstance(field, CountryField):
        # The ISO 3166-1 code for machines, the country's name for people.
        raw, text = value.code or "", str(value.name)
    elif getattr(field, "choices", None):
        raw, text = value, str(getattr(signal, f"get_{name}_display")())
    elif isinstance(value, date | datetime):
        raw, text = value.isoformat(), _when(value)
    elif isinstance(value, bool):
        raw, text = value, _("yes") if value else _("no")
    elif isinstance(value, list):
        raw, text = value, "; ".join(_code_label(name, str(v)) for v in value)
    else:
        raw, text = value, "" if value is None else str(value)
    label = str(getattr(field, "verbose_name", name))
    return {"name": name, "label": label[:1].upper() + label[1:], "value": raw, "text": text}


def _code_label(field: str, code: str) -> str:
    """The readable name of a form, indicator or method code, in the current language."""
    if field == "exploitation_forms":
        return str(ExploitationForm(code).label) if code in ExploitationForm.values else code
    catalogue = load_catalogue()
    try:
        item = catalogue.method(code) if field == "methods" else catalogue.indicator(code)
    except KeyError:
        return code  # a code from an older catalogue version: the code is what we hold
    return item.en if get_language() == "en" else item.nl


@dataclass(frozen=True)
class Staff:
    """Staff are described by organisation and role, not by name: they act for the
    controller (AVG art. 4(9)) and their own data is protected by art. 15(4)."""

    memberships: dict[int, list[tuple[str, str]]]  # user id -> [(organisation, role)]

    def describe(self, user_id: int | None) -> str:
        pairs = self.memberships.get(user_id or 0, [])
        return "; ".join(f"{organisation} ({role})" for organisation, role in pairs)

    def roles(self, user_id: int | None) -> str:
        return ", ".join(sorted({role for _o, role in self.memberships.get(user_id or 0, [])}))


def _staff(user_ids: Iterable[int | None]) -> Staff:
    found: dict[int, list[tuple[str, str]]] = {}
    memberships = Membership.objects.filter(user_id__in=[u for u in user_ids if u])
    for membership in memberships.select_related("organisation").order_by("organisation__name"):
        found.setdefault(membership.user_id, []).append(
            (membership.organisation.name, str(Role(membership.role).label))
        )
    return Staff(found)


def _related(signal: Signal) -> dict[str, Any]:
    signal_type = ContentType.objects.get_for_model(Signal)
    return {
        "additions": list(signal.additions.all()),
        "notes": list(signal.notes.all()),
        "attachments": list(signal.attachments.all()),
        "shares": list(Share.objects.filter(content_type=signal_type, object_id=signal.pk)),
        "consents": list(Consent.objects.filter(content_type=signal_type, object_id=signal.pk)),
        "merges": list(
            SignalMerge.objects.filter(Q(kept=signal) | Q(merged=signal)).select_related(
                "kept", "merged"
            )
        ),
    }


def _audit_trail(signal: Signal, related: dict[str, Any]) -> QuerySet[AuditEntry]:
    about = Q(object_type="signals.signal", object_id=str(signal.pk))
    for key, label in (
        ("notes", "signals.signalnote"),
        ("attachments", "signals.signalattachment"),
        ("shares", "privacy.share"),
        ("consents", "privacy.consent"),
        ("merges", "signals.signalmerge"),
    ):
        ids = [str(item.pk) for item in related[key]]
        if ids:
            about |= Q(object_type=label, object_id__in=ids)
    return AuditEntry.objects.filter(about).order_by("id")


def _dated(key: str, value: date | datetime | None) -> dict[str, Any]:
    """A date as ISO text for machines and as words for people: ``key`` and ``key_text``."""
    return {key: _iso(value), f"{key}_text": _when(value)}


def _signal_export(signal: Signal) -> dict[str, Any]:
    related = _related(signal)
    trail = list(_audit_trail(signal, related))
    assigned = list(signal.assigned_to.values_list("pk", flat=True))
    people = _staff(
        assigned
        + [n.author_id for n in related["notes"]]
        + [a.uploaded_by_id for a in related["attachments"]]
        + [s.to_user_id for s in related["shares"]]
        + [e.actor_id for e in trail]
    )
    kinds = list(signal.identifiers.values_list("kind", flat=True))
    return {
        "receipt_code": signal.receipt_code,
        "fields": [_field_entry(signal, name) for name in EXPORT_FIELDS],
        "assigned_to": sorted({people.describe(pk) for pk in assigned}),
        "identifier_hashes": {kind: kinds.count(kind) for kind in IdentifierKind.values},
        "additions": [
            {"text": a.text, **_dated("created_at", a.created_at)} for a in related["additions"]
        ],
        "notes": [_note_export(n, people) for n in related["notes"]],
        "attachments": [_attachment_export(a, people) for a in related["attachments"]],
        "shares": [_share_export(s, people) for s in related["shares"]],
        "consents": [_consent_export(c) for c in related["consents"]],
        "merges": [_merge_export(m) for m in related["merges"]],
        "audit_trail": [_audit_export(e, people) for e in trail],
    }


def _note_export(note: SignalNote, people: Staff) -> dict[str, Any]:
    return {
        "kind": note.kind,
        "kind_text": note.get_kind_display(),
        "text": note.text,
        "source": note.source,
        "author_organisation": people.describe(note.author_id),
        **_dated("created_at", note.created_at),
    }


def _attachment_export(attachment: SignalAttachment, people: Staff) -> dict[str, Any]:
    return {
        "file_name": attachment.file_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "uploaded_by_organisation": people.describe(attachment.uploaded_by_id),
        **_dated("uploaded_at", attachment.uploaded_at),
    }


def _share_export(share: Share, people: Staff) -> dict[str, Any]:
    return {
        "kind": share.kind,
        "kind_text": share.get_kind_display(),
        "from_organisation": str(share.from_organisation or ""),
        "to_organisation": str(share.to_organisation or ""),
        "to_person": people.describe(share.to_user_id),
        "legal_basis": share.legal_basis,
        "legal_basis_text": share.get_legal_basis_display(),
        "purpose": share.purpose,
        "content": share.content,
        **_dated("shared_at", share.shared_at),
        **_dated("ended_at", share.ended_at),
    }


def _consent_export(consent: Consent) -> dict[str, Any]:
    return {
        "scope": consent.scope,
        "scope_text": consent.get_scope_display(),
        "how": consent.how,
        **_dated("given_on", consent.given_on),
        **_dated("withdrawn_on", consent.withdrawn_on),
    }


def _merge_export(merge: SignalMerge) -> dict[str, Any]:
    return {
        "kept": merge.kept.receipt_code,
        "merged": merge.merged.receipt_code,
        "reason": merge.reason,
        **_dated("merged_at", merge.merged_at),
        **_dated("undone_at", merge.undone_at),
    }


def _audit_export(entry: AuditEntry, people: Staff) -> dict[str, Any]:
    # Without an actor: the reporter (through the meldpunt) or InBeeld itself (retention).
    # Organisations as recorded at the time; the role as the person holds it now.
    automatic = entry.actor or _("InBeeld (automatic)")
    return {
        "action": entry.action,
        "action_text": entry.get_action_display(),
        "by_organisation": automatic if entry.actor_id is None else entry.organisations,
        "by_role": people.roles(entry.actor_id),
        "record_type": entry.object_type,
        "purpose": entry.purpose,
        **_dated("occurred_at", entry.occurred_at),
    }


@transaction.atomic
def access_export(*, user: User, request: DataSubjectRequest, output: str) -> dict[str, Any]:
    """Everything InBeeld holds in the request's signals; one audited export per record.

    The same structure feeds the HTML page and the JSON file, so both hold the same items.
    Keys are stable and documented in docs/privacy.md.
    """
    ids = _record_ids(request)
    signals = (
        fg_signals(user)
        .filter(pk__in=ids)
        .select_related("region", "municipality", "source_organisation", "merged_into")
    )
    exported = []
    for signal in signals.order_by("created_at"):
        exported.append(_signal_export(signal))
        audit_record(
            actor=user,
            action=Action.EXPORT,
            target=signal,
            purpose=PURPOSE,
            detail={"request": request.pk, "format": output},
        )
    return {
        "format": EXPORT_FORMAT,
        "request": {
            "id": request.pk,
            "kind": request.kind,
            **_dated("handled_at", request.handled_at),
        },
        **_dated("generated_at", timezone.now()),
        "not_included": [
            _("the hash of the reporter's secret code"),
            _("the technical key against double submission"),
            _("keyed hashes (blind index) of names and phone numbers; their number is given"),
        ],
        "records_no_longer_held": len(ids) - len(exported),
        "signals": exported,
    }


# --- erasure (art. 17) and restriction (art. 18) ----------------------------------------


def erasure_refusal(signal: Signal) -> str:
    """Why erasure is refused now ("" when it is allowed). The rule is in the module doc."""
    if signal.erased_at is not None:
        return _("The identifying data of this signal were already erased on %(when)s.") % {
            "when": _when(signal.erased_at)
        }
    if signal.status in ERASURE_NEEDS_RESTRICTION and not signal.restricted:
        return _(
            "This signal is %(status)s: partners are acting on it, and the record of what was "
            "shared and done is still needed for the handling and for legal claims (AVG art. "
            "17(3)(b) and (e)). Restrict processing first, with the reason; after that the "
            "signal can be erased."
        ) % {"status": signal.get_status_display().lower()}
    return ""


def _locked(signal: Signal) -> Signal:
    return Signal.objects.select_for_update().select_related("region").get(pk=signal.pk)


def _request(*, by: User, kind: str, signal: Signal, reason: str) -> DataSubjectRequest:
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for this request.")]})
    return DataSubjectRequest.objects.create(
        kind=kind, reason=reason.strip(), records=[f"{RECORD_PREFIX}{signal.pk}"], handled_by=by
    )


@transaction.atomic
def signal_erase(*, by: User, signal: Signal, reason: str) -> DataSubjectRequest:
    """Irreversibly empty the signal's identifying data; keep what the statistics need.

    Kept: region, municipality, dates, forms, indicators, methods, risk score, status and
    outcome, age band, gender, and who it was shared with on which basis (without the text).
    """
    signal = _locked(signal)
    refusal = erasure_refusal(signal)
    if refusal:
        raise ValidationError(refusal)
    request = _request(by=by, kind=RequestKind.ERASURE, signal=signal, reason=reason)
    for name in ERASED_FIELDS:
        setattr(signal, name, "")
    signal.description = ERASED
    signal.erased_at = timezone.now()
    signal.save(update_fields=[*ERASED_FIELDS, "description", "erased_at", "updated_at"])
    signal_type = ContentType.objects.get_for_model(Signal)
    removed = {
        "identifiers": signal.identifiers.all().delete()[0],
        "attachments": signal.attachments.all().delete()[0],
        "additions": signal.additions.update(text=ERASED, submission_digest=""),
        "notes": signal.notes.update(text=ERASED),
        "shares": Share.objects.filter(content_type=signal_type, object_id=signal.pk).update(
            content=""
        ),
        "merge_reasons": SignalMerge.objects.filter(Q(kept=signal) | Q(merged=signal)).update(
            reason=""
        ),
    }
    audit_record(
        actor=by,
        action=Action.DELETE,
        target=signal,
        purpose=PURPOSE,
        detail={"request": request.pk, "kind": RequestKind.ERASURE, "removed": removed},
    )
    return request


@transaction.atomic
def signal_restrict(*, by: User, signal: Signal, reason: str) -> DataSubjectRequest:
    """Keep the signal but stop its processing: from now on only the FG sees it."""
    signal = _locked(signal)
    if signal.restricted:
        raise ValidationError(_("Processing of this signal is already restricted."))
    request = _request(by=by, kind=RequestKind.RESTRICTION, signal=signal, reason=reason)
    signal.restricted, signal.restriction_reason = True, request.reason
    signal.save(update_fields=["restricted", "restriction_reason", "updated_at"])
    _audit_restriction(by=by, signal=signal, request=request)
    return request


@transaction.atomic
def signal_restriction_lift(*, by: User, signal: Signal, reason: str) -> DataSubjectRequest:
    """Give the signal back to the people who handle it."""
    signal = _locked(signal)
    if not signal.restricted:
        raise ValidationError(_("Processing of this signal is not restricted."))
    request = _request(by=by, kind=RequestKind.LIFT_RESTRICTION, signal=signal, reason=reason)
    signal.restricted, signal.restriction_reason = False, ""
    signal.save(update_fields=["restricted", "restriction_reason", "updated_at"])
    _audit_restriction(by=by, signal=signal, request=request)
    return request


def _audit_restriction(*, by: User, signal: Signal, request: DataSubjectRequest) -> None:
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=signal,
        purpose=PURPOSE,
        detail={"request": request.pk, "kind": request.kind, "restricted": signal.restricted},
    )
