"""Data-subject rights (AVG art. 15, 17, 18): what the FG does for one person.

Generic over the kinds of personal data the apps register (registry.py): the FG finds a
person's records in every kind by the keyed hashes of their name or phone number (no bulk
decryption), limited to the FG's own regions. Restricted records are hidden from everyone
else by the apps' own access rules; the FG's door here (``fg_records``) is the only way to
them. A kind supplies what depends on its model (``SubjectRights``: the search by hashes,
the export section, erasure with its refusal reasons, restriction); the request record, the
audit entries, shares and consents are handled here the same way for every kind.

Every step is recorded twice: a ``DataSubjectRequest`` (what was done and why, with the
records as ``<app_label>.<model>:<id>``, no identifying data) and audit entries without
content.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import Role, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record, audit_record_reads
from inbeeld.privacy.export import dated
from inbeeld.privacy.identifiers import name_index, phone_index, phone_numbers_in
from inbeeld.privacy.models import DataSubjectRequest, RequestKind, Share
from inbeeld.privacy.registry import (
    HOLDS_MERGED,
    PersonalDataKind,
    RecordSummary,
    SubjectQuery,
    SubjectRights,
    registry,
)

PURPOSE = Purpose.DATA_SUBJECT_REQUEST
EXPORT_FORMAT = "inbeeld-access-export/1"

Kind = PersonalDataKind[Any]


def rights(kind: Kind) -> SubjectRights[Any]:
    if kind.subject is None:  # registry.subject_kinds() hands out only kinds that have them
        raise Http404
    return kind.subject


def record_ref(kind: Kind, pk: int) -> str:
    """How a DataSubjectRequest names a record: ``signals.signal:12``."""
    return f"{kind.key}:{pk}"


def _parse_ref(ref: str) -> tuple[Kind, int] | None:
    key, _sep, pk = ref.rpartition(":")
    kind = registry.kind(key)
    if kind is None or kind.subject is None or not pk.isdigit():
        return None
    return kind, int(pk)


def _refs_by_kind(refs: Sequence[str]) -> dict[str, tuple[Kind, list[int]]]:
    """The records of a request per kind, in the registry's order; 404 for a strange one."""
    grouped: dict[str, tuple[Kind, list[int]]] = {}
    for ref in refs:
        parsed = _parse_ref(ref)
        if parsed is None:
            raise Http404  # a kind that is no longer registered: nothing the FG can open
        kind, pk = parsed
        grouped.setdefault(kind.key, (kind, []))[1].append(pk)
    order = [kind.key for kind in registry.subject_kinds()]
    return {key: grouped[key] for key in order if key in grouped}


def region_of(kind: Kind, record: models.Model) -> Any:
    """The record's Region, following the kind's ``region_field`` path."""
    value: Any = record
    for step in rights(kind).region_field.split("__"):
        value = getattr(value, step)
    return value


def _region_code(kind: Kind, record: models.Model) -> str:
    return str(getattr(region_of(kind, record), "code", ""))


def fg_records(kind: Kind, user: User) -> QuerySet[Any]:
    """Every record of the kind in the FG's regions, restricted ones included."""
    regions = regions_where(user, Role.FG)
    records: QuerySet[Any] = kind.model._default_manager.filter(
        **{f"{rights(kind).region_field}__in": regions}
    )
    return records


def record_get_for_fg(*, user: User, slug: str, record_id: int) -> tuple[Kind, Any]:
    """One record in the FG's regions (the read is audited), else 404."""
    kind = registry.subject_kind(slug)
    if kind is None:
        raise Http404
    record = (
        fg_records(kind, user).select_related(rights(kind).region_field).filter(pk=record_id)
    ).first()
    if record is None:
        raise Http404
    audit_record(
        actor=user,
        action=Action.READ,
        target=record,
        region=_region_code(kind, record),
        purpose=PURPOSE,
    )
    return kind, record


# --- search ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    kind: Kind
    record: Any
    summary: RecordSummary
    matched_by: tuple[str, ...]  # "name", "phone"
    date_of_birth_known: bool  # False: the record has none, so the FG must judge the match

    @property
    def ref(self) -> str:
        return record_ref(self.kind, self.record.pk)

    @property
    def label(self) -> str:
        """The record by its kind and code only ("Signal ABC123"): no content."""
        return f"{rights(self.kind).singular} {self.summary.code}"


def subject_query(
    *, name: str = "", date_of_birth: date | None = None, phone: str = ""
) -> SubjectQuery:
    numbers = phone_numbers_in(phone) if phone else []
    return SubjectQuery(
        name_index=name_index(name) if name else "",
        phone_indexes=tuple(phone_index(number) for number in numbers),
        date_of_birth=date_of_birth,
    )


@transaction.atomic
def subject_search(
    *, user: User, name: str = "", date_of_birth: date | None = None, phone: str = ""
) -> list[SearchHit]:
    """The FG's records whose name or phone hash matches; a date of birth narrows the names.

    Only matched records are decrypted to compare the date of birth. A record without a
    date of birth stays in the list, marked, so the FG decides.
    """
    query = subject_query(name=name, date_of_birth=date_of_birth, phone=phone)
    hits: list[SearchHit] = []
    for kind in registry.subject_kinds():
        hits += _search_kind(kind, user, query)
    _audit_search(user=user, hits=hits, query=query)
    return hits


def _search_kind(kind: Kind, user: User, query: SubjectQuery) -> list[SearchHit]:
    subject = rights(kind)
    matched = subject.matches(query)
    if not matched:
        return []
    records = fg_records(kind, user).filter(pk__in=matched)
    records = records.select_related(subject.region_field, *subject.select_related)
    hits = []
    for record in records.order_by(subject.order_by):
        born = subject.date_of_birth(record)
        # A record found only as the holder of a found record's history is listed whatever
        # its own date of birth: the person's data is in it through the merge.
        narrowed = matched[record.pk] != {HOLDS_MERGED}
        if narrowed and query.date_of_birth and born and born != query.date_of_birth.isoformat():
            continue
        hits.append(
            SearchHit(
                kind, record, subject.summary(record), tuple(sorted(matched[record.pk])), bool(born)
            )
        )
    return hits


def _audit_search(*, user: User, hits: Sequence[SearchHit], query: SubjectQuery) -> None:
    detail = {
        "step": "search",
        "by_name": bool(query.name_index),
        "by_phone": bool(query.phone_indexes),
        "found": len(hits),
    }
    if not hits:  # the search itself is recorded, once per kind searched
        for kind in registry.subject_kinds():
            audit_record(
                actor=user, action=Action.READ, object_type=kind.key, purpose=PURPOSE, detail=detail
            )
    if hits:  # the records found: one entry per region names them all
        audit_record_reads(
            actor=user, records=[hit.record for hit in hits], purpose=PURPOSE, detail=detail
        )


# --- access (art. 15) -------------------------------------------------------------------


@transaction.atomic
def access_request_record(*, by: User, records: Sequence[str], reason: str) -> DataSubjectRequest:
    """Record an access request for the chosen records (``key:id``); the export is made from it."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for this request.")]})
    if not records:
        raise ValidationError({"records": [_("Choose at least one record.")]})
    refs: list[str] = []
    for kind, ids in _refs_by_kind(sorted(set(records))).values():
        ids = sorted(ids)
        if fg_records(kind, by).filter(pk__in=ids).count() != len(ids):
            raise Http404  # a record outside the FG's regions: as if it did not exist
        refs += [record_ref(kind, pk) for pk in ids]
    request = DataSubjectRequest.objects.create(
        kind=RequestKind.ACCESS, reason=reason.strip(), records=refs, handled_by=by
    )
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=request,
        purpose=PURPOSE,
        detail={"kind": RequestKind.ACCESS, "records": len(refs)},
    )
    return request


def access_request_get_for(*, user: User, request_id: int) -> DataSubjectRequest:
    """An access request all of whose records lie in the FG's regions, else 404.

    Records removed since (retention) do not count: the export says how many are gone.
    """
    request = DataSubjectRequest.objects.filter(pk=request_id, kind=RequestKind.ACCESS).first()
    if request is None or not request.records:
        raise Http404
    for kind, ids in _refs_by_kind(request.records).values():
        held = kind.model._default_manager.filter(pk__in=ids)
        if held.exclude(pk__in=fg_records(kind, user)).exists():
            raise Http404
    return request


@transaction.atomic
def access_export(*, user: User, request: DataSubjectRequest, output: str) -> dict[str, Any]:
    """Everything InBeeld holds in the request's records; one audited export per record.

    The same structure feeds the HTML page and the JSON file, so both hold the same items.
    Keys are stable and documented in docs/privacy.md: each kind's records under its own
    key (``signals``).
    """
    sections: dict[str, list[dict[str, Any]]] = {}
    not_included: list[str] = []
    asked = exported = 0
    for kind, ids in _refs_by_kind(request.records).values():
        subject = rights(kind)
        records = fg_records(kind, user).filter(pk__in=ids)
        records = records.select_related(subject.region_field, *subject.select_related)
        items = sections.setdefault(subject.export_key, [])
        for record in records.order_by(subject.order_by):
            items.append(subject.export(record))
            audit_record(
                actor=user,
                action=Action.EXPORT,
                target=record,
                region=_region_code(kind, record),
                purpose=PURPOSE,
                detail={"request": request.pk, "format": output},
            )
        asked, exported = asked + len(ids), exported + len(items)
        not_included += [str(text) for text in subject.not_included]
    return {
        "format": EXPORT_FORMAT,
        "request": {
            "id": request.pk,
            "kind": request.kind,
            **dated("handled_at", request.handled_at),
        },
        **dated("generated_at", timezone.now()),
        "not_included": not_included,
        "records_no_longer_held": asked - exported,
        **sections,
    }


def export_sections(export: dict[str, Any]) -> list[dict[str, Any]]:
    """The export's kinds for the readable page: each kind's template and its records."""
    return [
        {
            "template": kind.subject.export_template,
            "intro": kind.subject.export_intro,
            "records": export[kind.subject.export_key],
        }
        for kind in registry.subject_kinds()
        if kind.subject is not None and kind.subject.export_key in export
    ]


# --- erasure (art. 17) and restriction (art. 18) ----------------------------------------


def erasure_refusal(kind: Kind, record: models.Model) -> str:
    """Why erasure is refused now ("" when it is allowed); the kind knows its reasons."""
    return rights(kind).erasure_refusal(record)


def _locked(kind: Kind, record: models.Model) -> Any:
    manager = kind.model._default_manager.select_for_update()
    return manager.select_related(rights(kind).region_field).get(pk=record.pk)


def _request(
    *, by: User, kind_of_request: str, kind: Kind, record: Any, reason: str
) -> DataSubjectRequest:
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for this request.")]})
    return DataSubjectRequest.objects.create(
        kind=kind_of_request,
        reason=reason.strip(),
        records=[record_ref(kind, record.pk)],
        handled_by=by,
    )


@transaction.atomic
def record_erase(*, by: User, kind: Kind, record: models.Model, reason: str) -> DataSubjectRequest:
    """Irreversibly empty the record's identifying data; the kind keeps what statistics need.

    The text passed in shares (a tip) is emptied here for every kind; who received the
    record on which basis stays.
    """
    record = _locked(kind, record)
    refusal = erasure_refusal(kind, record)
    if refusal:
        raise ValidationError(refusal)
    request = _request(
        by=by, kind_of_request=RequestKind.ERASURE, kind=kind, record=record, reason=reason
    )
    removed = rights(kind).erase(record)
    content_type = ContentType.objects.get_for_model(kind.model)
    removed["shares"] = Share.objects.filter(content_type=content_type, object_id=record.pk).update(
        content=""
    )
    audit_record(
        actor=by,
        action=Action.DELETE,
        target=record,
        region=_region_code(kind, record),
        purpose=PURPOSE,
        detail={"request": request.pk, "kind": RequestKind.ERASURE, "removed": removed},
    )
    return request


@transaction.atomic
def record_restrict(
    *, by: User, kind: Kind, record: models.Model, reason: str
) -> DataSubjectRequest:
    """Keep the record but stop its processing: from now on only the FG sees it."""
    record = _locked(kind, record)
    if rights(kind).is_restricted(record):
        raise ValidationError(_("Processing is already restricted."))
    request = _request(
        by=by, kind_of_request=RequestKind.RESTRICTION, kind=kind, record=record, reason=reason
    )
    rights(kind).restrict(record, request.reason)
    _audit_restriction(by=by, kind=kind, record=record, request=request)
    return request


@transaction.atomic
def record_restriction_lift(
    *, by: User, kind: Kind, record: models.Model, reason: str
) -> DataSubjectRequest:
    """Give the record back to the people who handle it."""
    record = _locked(kind, record)
    if not rights(kind).is_restricted(record):
        raise ValidationError(_("Processing is not restricted."))
    request = _request(
        by=by, kind_of_request=RequestKind.LIFT_RESTRICTION, kind=kind, record=record, reason=reason
    )
    rights(kind).lift(record)
    _audit_restriction(by=by, kind=kind, record=record, request=request)
    return request


def _audit_restriction(
    *, by: User, kind: Kind, record: models.Model, request: DataSubjectRequest
) -> None:
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=record,
        region=_region_code(kind, record),
        purpose=PURPOSE,
        detail={
            "request": request.pk,
            "kind": request.kind,
            "restricted": rights(kind).is_restricted(record),
        },
    )
