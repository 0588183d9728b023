"""The partner directory of a region: organisations, their contact persons, and coverage.

The network is meant to be known to colleagues: every staff member of a region sees its
directory (accounts/rules.py: accounts.view_network_of); the ketenregisseur and the beheerder
keep it (accounts.manage_network_of). Contact persons need not have an InBeeld account.
Coverage answers the question of the Zeeland newsletter: in which municipalities of the
region is there a contact person, and where is the gap.

Names and work contact details are personal data of professionals: the audit trail records
that they were shown or changed (with keyed digests of changed values), never the values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.accounts.models import ContactPerson, Organisation, User
from inbeeld.accounts.services import ORGANISATION_FIELDS, record_values
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record, audit_record_reads, changed_fields
from inbeeld.regions.models import Municipality, Region

# Identify the person: in the audit trail only as keyed digests of old and new values.
PERSONAL_FIELDS = ("name", "function", "phone", "email", "user_id")
# Say where and when the person is the contact: in the trail as values.
PLAIN_FIELDS = ("organisation_id", "role", "listed_publicly", "active_from", "active_until")


@dataclass(frozen=True)
class ContactInput:
    organisation: Organisation | None
    name: str
    role: str
    active_from: date
    function: str = ""
    phone: str = ""
    email: str = ""
    municipalities: Sequence[Municipality] = ()
    listed_publicly: bool = False
    active_until: date | None = None
    user: User | None = None


# --- Reading ----------------------------------------------------------------------------------


def active_on(day: date) -> Q:
    return Q(active_from__lte=day) & (Q(active_until__isnull=True) | Q(active_until__gte=day))


def contacts_of(organisations: QuerySet[Organisation]) -> QuerySet[ContactPerson]:
    return (
        ContactPerson.objects.filter(organisation__in=organisations)
        .select_related("organisation__region")
        .prefetch_related("municipalities")
    )


def organisation_contacts(
    organisation: Organisation, *, every_period: bool = False, on: date | None = None
) -> list[ContactPerson]:
    """The organisation's contact persons of the day; with ``every_period`` also the earlier
    and later ones (for the network's keepers)."""
    contacts = (
        ContactPerson.objects.filter(organisation=organisation)
        .select_related("organisation__region")
        .prefetch_related("municipalities")
    )
    if not every_period:
        contacts = contacts.filter(active_on(on or timezone.localdate()))
    return sorted_contacts(list(contacts))


def sorted_contacts(contacts: Sequence[ContactPerson]) -> list[ContactPerson]:
    # Names are encrypted: the database cannot sort them, and a directory is small.
    return sorted(contacts, key=lambda c: (c.organisation.name, str(c.name).casefold(), c.pk))


@dataclass
class DirectoryEntry:
    organisation: Organisation
    contacts: list[ContactPerson] = field(default_factory=list)


def directory(
    *,
    organisations: QuerySet[Organisation],
    municipality: Municipality | None = None,
    on: date | None = None,
) -> list[DirectoryEntry]:
    """The organisations with their contact persons of the day.

    With a municipality: the organisations of that municipality, and those with a contact
    person for it (only that contact is listed then, besides the municipality's own).
    """
    day = on or timezone.localdate()
    contacts = list(contacts_of(organisations).filter(active_on(day)))
    if municipality is not None:
        contacts = [
            c
            for c in contacts
            if c.organisation.municipality_id == municipality.pk
            or any(m.pk == municipality.pk for m in c.municipalities.all())
        ]
        with_contact = {c.organisation_id for c in contacts}
        organisations = organisations.filter(Q(municipality=municipality) | Q(pk__in=with_contact))
    entries = {
        o.pk: DirectoryEntry(o)
        for o in organisations.select_related("region", "municipality").order_by("name")
    }
    for contact in sorted_contacts(contacts):
        entries[contact.organisation_id].contacts.append(contact)
    return list(entries.values())


@dataclass(frozen=True)
class CoverageRow:
    municipality: Municipality
    contacts: list[ContactPerson]

    @property
    def covered(self) -> bool:
        return bool(self.contacts)


@dataclass(frozen=True)
class Coverage:
    region: Region
    rows: list[CoverageRow]

    @property
    def covered(self) -> list[CoverageRow]:
        return [row for row in self.rows if row.covered]

    @property
    def gaps(self) -> list[Municipality]:
        return [row.municipality for row in self.rows if not row.covered]

    @property
    def contacts(self) -> list[ContactPerson]:
        shown = {c.pk: c for row in self.rows for c in row.contacts}
        return list(shown.values())


def coverage(region: Region, *, on: date | None = None) -> Coverage:
    """Per municipality of the region, its contact persons of the day (a gap when none)."""
    day = on or timezone.localdate()
    contacts = sorted_contacts(
        list(
            ContactPerson.objects.filter(organisation__region=region, organisation__active=True)
            .filter(active_on(day))
            .select_related("organisation__region")
            .prefetch_related("municipalities")
        )
    )
    per_municipality: dict[int, list[ContactPerson]] = {}
    for contact in contacts:
        for municipality in contact.municipalities.all():
            per_municipality.setdefault(municipality.pk, []).append(contact)
    rows = [
        CoverageRow(m, per_municipality.get(m.pk, []))
        for m in Municipality.objects.filter(region=region).order_by("name")
    ]
    return Coverage(region, rows)


def contacts_shown(
    *, by: User, contacts: Sequence[ContactPerson], purpose: Purpose = Purpose.NETWORK
) -> None:
    """Record that a page (or the API) showed these contact persons, one entry per region."""
    audit_record_reads(actor=by, records=list(contacts), purpose=purpose)


# --- Writing ----------------------------------------------------------------------------------


def _values(contact: ContactPerson, municipality_ids: Sequence[int]) -> dict[str, object]:
    values: dict[str, object] = {
        name: getattr(contact, name) for name in (*PERSONAL_FIELDS, *PLAIN_FIELDS)
    }
    values["municipalities"] = sorted(municipality_ids)
    return values


def _audit_detail(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, object]:
    plain = (*PLAIN_FIELDS, "municipalities")
    return {
        "fields": changed_fields(before, after, PERSONAL_FIELDS),
        "values": {
            name: {"old": _plain(before.get(name)), "new": _plain(after.get(name))}
            for name in plain
            if before.get(name) != after.get(name)
        },
    }


def _plain(value: object) -> object:
    return str(value) if isinstance(value, date) else value


def _check(data: ContactInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    organisation = data.organisation
    if organisation is None:
        errors["organisation"] = [_("Choose the organisation the person works for.")]
        return errors
    elsewhere = [m.name for m in data.municipalities if m.region_id != organisation.region_id]
    if elsewhere:
        errors["municipalities"] = [
            _("Not in the organisation's region: %(names)s.") % {"names": ", ".join(elsewhere)}
        ]
    user = data.user
    if user is not None and not (
        user.organisation_id == organisation.pk
        or user.memberships.filter(organisation=organisation).exists()
    ):
        errors["user"] = [_("This account does not work for the chosen organisation.")]
    return errors


def _require_keeper(by: User, organisation: Organisation) -> None:
    if not by.has_perm("accounts.manage_network_of", organisation):
        raise PermissionDenied


def _save(contact: ContactPerson, data: ContactInput) -> None:
    errors = _check(data)
    if data.organisation is not None:
        contact.organisation = data.organisation
    contact.name, contact.role = data.name.strip(), data.role
    contact.function, contact.phone = data.function.strip(), data.phone.strip()
    contact.email = data.email.strip()
    contact.listed_publicly = data.listed_publicly
    contact.active_from, contact.active_until = data.active_from, data.active_until
    contact.user = data.user
    try:
        # Every field is checked, also when the organisation is missing: one answer names all.
        contact.full_clean(exclude=None if data.organisation else ["organisation"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    contact.save()
    contact.municipalities.set(data.municipalities)


@transaction.atomic
def contact_person_create(*, by: User, data: ContactInput) -> ContactPerson:
    """Add a contact person; ValidationError names each field at fault, nothing is written."""
    if data.organisation is not None:
        _require_keeper(by, data.organisation)
    contact = ContactPerson()
    _save(contact, data)
    after = _values(contact, [m.pk for m in data.municipalities])
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=contact,
        purpose=Purpose.NETWORK,
        detail=_audit_detail({}, after),
    )
    return contact


@transaction.atomic
def contact_person_update(*, by: User, contact: ContactPerson, data: ContactInput) -> ContactPerson:
    """Save a changed contact person (also moved to another organisation of a region ``by``
    keeps); ValidationError names each field at fault, nothing is written."""
    _require_keeper(by, contact.organisation)
    if data.organisation is not None:
        _require_keeper(by, data.organisation)
    before = _values(contact, list(contact.municipalities.values_list("pk", flat=True)))
    _save(contact, data)
    after = _values(contact, [m.pk for m in data.municipalities])
    if before != after:
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=contact,
            purpose=Purpose.NETWORK,
            detail=_audit_detail(before, after),
        )
    return contact


@transaction.atomic
def contact_person_delete(*, by: User, contact: ContactPerson) -> None:
    """Remove the entry now: entered by mistake, or the person asks (AVG art. 17).

    A person who simply stops being the contact gets an end date instead: the entry then
    leaves the directory and is removed after the retention period (accounts/privacy.py).
    """
    _require_keeper(by, contact.organisation)
    audit_record(
        actor=by,
        action=Action.DELETE,
        target=contact,
        purpose=Purpose.NETWORK,
        detail={"organisation": contact.organisation_id},
    )
    contact.delete()


@transaction.atomic
def network_organisation_add(*, by: User, organisation: Organisation) -> Organisation:
    """The ketenregisseur adds a partner to the region's directory (a municipality without a
    contact person yet, a school, an NGO). Only the beheerder gives people roles in it, so a
    new organisation grants nobody access to anything. Not personal data: the entry shows
    the values."""
    if not by.has_perm("accounts.manage_network_of", organisation.region):
        raise PermissionDenied
    organisation.active = True
    organisation.full_clean()
    organisation.save()
    after = record_values(organisation, ORGANISATION_FIELDS)
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=organisation,
        purpose=Purpose.ORGANISATION_ADMINISTRATION,
        detail={"fields": {name: {"old": None, "new": value} for name, value in after.items()}},
    )
    return organisation
