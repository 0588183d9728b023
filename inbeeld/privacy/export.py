"""Building blocks of the access export (AVG art. 15) that every kind uses for its section.

A kind's ``SubjectRights.export`` builds the section of one record from these, so that every
section speaks the same way: dates twice (ISO for machines, words for people), staff by
organisation and role, shares, consents and the audit trail of the record and the rows that
belong to it. The keys are documented in docs/privacy.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django_countries.fields import CountryField

from inbeeld.accounts.models import Membership, Role
from inbeeld.audit.models import AuditEntry
from inbeeld.privacy.models import Consent, Share


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y H:i")
    return date_format(value, "j F Y")


def dated(key: str, value: date | datetime | None) -> dict[str, Any]:
    """A date as ISO text for machines and as words for people: ``key`` and ``key_text``."""
    return {key: iso(value), f"{key}_text": when(value)}


def field_entry(
    record: models.Model, name: str, list_text: Callable[[str, str], str] | None = None
) -> dict[str, Any]:
    """One field of the record: its name, its label, its value and the value in words.

    ``list_text(field, code)`` words one code of a list field (a form, an indicator).
    """
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if isinstance(field, models.ForeignKey):
        raw: Any = getattr(record, field.attname)
        text = str(value) if value is not None else ""
    elif isinstance(field, CountryField):
        # The ISO 3166-1 code for machines, the country's name for people.
        raw, text = value.code or "", str(value.name)
    elif getattr(field, "choices", None):
        raw, text = value, str(getattr(record, f"get_{name}_display")())
    elif isinstance(value, date | datetime):
        raw, text = value.isoformat(), when(value)
    elif isinstance(value, bool):
        raw, text = value, _("yes") if value else _("no")
    elif isinstance(value, float):
        # As every page shows a score: one decimal, in the reader's notation (14,5 in Dutch).
        raw, text = value, number_format(value, decimal_pos=1)
    elif isinstance(value, list):
        word = list_text or (lambda _field, code: code)
        raw, text = value, "; ".join(word(name, str(v)) for v in value)
    else:
        raw, text = value, "" if value is None else str(value)
    label = str(getattr(field, "verbose_name", name))
    return {"name": name, "label": label[:1].upper() + label[1:], "value": raw, "text": text}


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


def staff(user_ids: Iterable[int | None]) -> Staff:
    found: dict[int, list[tuple[str, str]]] = {}
    memberships = Membership.objects.filter(user_id__in=[u for u in user_ids if u])
    for membership in memberships.select_related("organisation").order_by("organisation__name"):
        found.setdefault(membership.user_id, []).append(
            (membership.organisation.name, str(Role(membership.role).label))
        )
    return Staff(found)


def shares_of(record: models.Model) -> list[Share]:
    content_type = ContentType.objects.get_for_model(record)
    return list(Share.objects.filter(content_type=content_type, object_id=record.pk))


def consents_of(record: models.Model) -> list[Consent]:
    content_type = ContentType.objects.get_for_model(record)
    return list(Consent.objects.filter(content_type=content_type, object_id=record.pk))


def audit_trail(
    record: models.Model, related: Iterable[Iterable[models.Model]] = ()
) -> QuerySet[AuditEntry]:
    """The audit entries about the record and about the rows that belong to it."""
    about = Q(object_type=record._meta.label_lower, object_id=str(record.pk))
    for rows in related:
        by_type: dict[str, list[str]] = {}
        for row in rows:
            by_type.setdefault(row._meta.label_lower, []).append(str(row.pk))
        for label, ids in by_type.items():
            about |= Q(object_type=label, object_id__in=ids)
    return AuditEntry.objects.filter(about).order_by("id")


def share_export(share: Share, people: Staff) -> dict[str, Any]:
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
        **dated("shared_at", share.shared_at),
        **dated("ended_at", share.ended_at),
    }


def consent_export(consent: Consent) -> dict[str, Any]:
    return {
        "scope": consent.scope,
        "scope_text": consent.get_scope_display(),
        "how": consent.how,
        **dated("given_on", consent.given_on),
        **dated("withdrawn_on", consent.withdrawn_on),
    }


def audit_export(entry: AuditEntry, people: Staff) -> dict[str, Any]:
    # Without an actor: the reporter (through the meldpunt) or InBeeld itself (retention).
    # Organisations as recorded at the time; the role as the person holds it now.
    automatic = entry.actor or _("InBeeld (automatic)")
    return {
        "action": entry.action,
        "action_text": entry.get_action_display(),
        "by_organisation": automatic if entry.actor_id is None else entry.organisations,
        "by_role": people.roles(entry.actor_id),
        "record_type": entry.object_type,
        # The code as recorded (stable, for machines) and the purpose in the reader's words.
        "purpose": entry.purpose,
        "purpose_text": entry.purpose_label,
        **dated("occurred_at", entry.occurred_at),
    }
