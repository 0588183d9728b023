"""Triage steps beyond the status: notes and enrichment, assigning people, passing tips.

Assigning and passing a tip are shares: each records a legal basis and a purpose through
inbeeld.privacy.sharing, so the FG can see on which ground data travelled. A tip never
carries the reporter's identity: the draft is built without it, and the coordinator checks
the free text before it is passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from inbeeld.accounts.models import Membership, Organisation, OrganisationType, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.integrations.models import WebhookEvent
from inbeeld.integrations.webhooks import webhook_event_emit
from inbeeld.privacy.models import ConsentScope, Share, ShareKind
from inbeeld.privacy.sharing import share_end, share_record
from inbeeld.signals import access
from inbeeld.signals.concurrency import signal_claim, signal_version_bump
from inbeeld.signals.indicators import INDICATOR, METHOD, Kind
from inbeeld.signals.models import NoteKind, Signal, SignalNote
from inbeeld.signals.nationality import nationality_name
from inbeeld.signals.scoring import current_catalogue, item_text

TIP_RECIPIENT_TYPES = (OrganisationType.POLICE, OrganisationType.LABOUR_INSPECTORATE)
NOTE_SOURCE_MAX_LENGTH = 200


def _require_triage(by: User, signal: Signal) -> None:
    if not access.may_triage(by, signal):
        raise ValidationError(_("Only the region's care coordinators may do this."))


@transaction.atomic
def note_add(*, by: User, signal: Signal, kind: str, text: str, source: str = "") -> SignalNote:
    """A note by anyone who may see the signal; enrichment names where it came from.

    Never refused for a change made meanwhile (a note overwrites nothing), but it counts as
    a change: a coordinator deciding on the page from before the note must look again.
    """
    errors: dict[str, list[str]] = {}
    if kind not in NoteKind.values:
        errors["kind"] = [_("Choose the kind of note.")]
    if not text.strip():
        errors["text"] = [_("Write the note.")]
    if kind == NoteKind.ENRICHMENT and not source.strip():
        errors["source"] = [_("Say where the added information comes from.")]
    elif len(source.strip()) > NOTE_SOURCE_MAX_LENGTH:
        errors["source"] = [
            _("Name the source in at most %(limit)d characters.")
            % {"limit": NOTE_SOURCE_MAX_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)
    note = SignalNote.objects.create(
        signal=signal, kind=kind, text=text.strip(), source=source.strip(), author=by
    )
    signal_version_bump(signal)
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=signal,
        purpose=Purpose.TRIAGE,
        detail={"note": note.pk, "kind": kind},
    )
    return note


def assignable_users(signal: Signal) -> QuerySet[User]:
    """Active people of the signal's region who handle signals, not yet assigned to it."""
    handlers = Membership.objects.filter(
        organisation__region=signal.region,
        organisation__active=True,
        role__in=access.INTAKE_ROLES,
    )
    # Each with the organisations they work for in the region, fetched at once: the list
    # names them, since two people of the same name may work for different partners.
    organisations = Prefetch(
        "memberships",
        queryset=handlers.select_related("organisation").order_by("organisation__name"),
        to_attr="region_memberships",
    )
    return (
        User.objects.filter(is_active=True, memberships__in=handlers)
        .exclude(pk__in=signal.assigned_to.values("pk"))
        .distinct()
        .prefetch_related(organisations)
        .order_by("first_name", "last_name", "username")
    )


def assignable_label(user: User) -> str:
    """ "Name (Organisation)" for a user from ``assignable_users``."""
    name = user.get_full_name() or user.username
    memberships = getattr(user, "region_memberships", [])
    organisations = list(dict.fromkeys(m.organisation.name for m in memberships))
    return f"{name} ({', '.join(organisations)})" if organisations else name


def _organisation_in_region(user: User, signal: Signal) -> Organisation | None:
    membership = (
        Membership.objects.filter(user=user, organisation__region=signal.region)
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


@transaction.atomic
def signal_assign(
    *, by: User, signal: Signal, to_user: User, legal_basis: str, purpose: str, version: int
) -> Share:
    """Give one person need-to-know of the signal, on a recorded legal basis.

    ``version`` is the signal's version the person saw; ConcurrentChangeError if it changed.
    """
    _require_triage(by, signal)
    signal_claim(signal, seen_version=version)
    if not assignable_users(signal).filter(pk=to_user.pk).exists():
        raise ValidationError({"to_user": [_("This person cannot be assigned to this signal.")]})
    share = share_record(
        by=by,
        target=signal,
        region=signal.region,
        kind=ShareKind.ASSIGNMENT,
        legal_basis=legal_basis,
        purpose=purpose,
        consent_scope=ConsentScope.CARE_PARTNERS,
        to_user=to_user,
        to_organisation=_organisation_in_region(to_user, signal),
        from_organisation=_organisation_in_region(by, signal),
    )
    signal.assigned_to.add(to_user)
    return share


@transaction.atomic
def signal_unassign(*, by: User, signal: Signal, share: Share, version: int) -> None:
    """End an assignment: the person loses access; the record of the share stays.

    ``version`` is the signal's version the person saw; ConcurrentChangeError if it changed.
    """
    _require_triage(by, signal)
    if share.kind != ShareKind.ASSIGNMENT or share.object_id != signal.pk or share.to_user is None:
        raise ValidationError(_("This is not an assignment of this signal."))
    signal_claim(signal, seen_version=version)
    share_end(by=by, share=share)
    still_assigned = Share.objects.filter(
        content_type=share.content_type,
        object_id=signal.pk,
        kind=ShareKind.ASSIGNMENT,
        to_user=share.to_user,
        ended_at__isnull=True,
    ).exists()
    if not still_assigned:
        signal.assigned_to.remove(share.to_user)


def tip_recipients(signal: Signal) -> QuerySet[Organisation]:
    """The police and labour inspectorate organisations of the signal's region."""
    return Organisation.objects.filter(
        region=signal.region, type__in=TIP_RECIPIENT_TYPES, active=True
    ).order_by("name")


def tip_draft(signal: Signal, *, english: bool = False) -> str:
    """The tip's text without the reporter: no contact details, organisation or receipt.

    In the active language throughout (labels, dates, the catalogue's words): the police and
    the labour inspectorate read it as written. Each indicator and method is a line of its
    own, since their texts are sentences that end in a full stop. A minor is said on the
    first line. The description is the reporter's own words and may still name them; the
    coordinator reads and edits the draft before passing it.
    """
    catalogue = current_catalogue()

    def listed(codes: list[str], kind: Kind) -> list[str]:
        # A code a later catalogue dropped is named as such, never looked up as if there.
        return [f"- {item_text(catalogue, code, kind, english=english)}" for code in codes]

    age = signal.get_victim_age_band_display() or "-"
    if signal.victim_is_minor:
        minor = _("minor")
        age = f"{age} ({minor})"
    # Labels outside f-strings: gettext's extractor does not look inside them.
    facts = [
        (_("Municipality"), str(signal.municipality or "-")),
        (_("Place"), signal.place_text or "-"),
        (_("Date of the incident"), _date(signal.incident_date)),
        (_("Forms of exploitation"), ", ".join(signal.exploitation_form_labels) or "-"),
        (_("Number of people"), str(signal.people_count or "-")),
        (_("Age"), age),
        (_("Gender"), signal.get_victim_gender_display() or "-"),
        (_("Nationality"), _nationality(str(signal.victim_nationality))),
    ]
    lines = [_("MINOR: the possible victim is under 18.")] if signal.victim_is_minor else []
    lines += [f"{name}: {value}" for name, value in facts]
    for heading, codes, kind in (
        (_("Indicators"), signal.indicators, INDICATOR),
        (_("Methods"), signal.methods, METHOD),
    ):
        items = listed(codes, kind)
        lines += [f"{heading}:", *items] if items else [f"{heading}: -"]
    return "\n".join([*lines, "", str(signal.description)])


def _date(day: date | None) -> str:
    return formats.date_format(day, "DATE_FORMAT") if day is not None else "-"


def _nationality(code: str) -> str:
    """The country's name with its code, which the receiving system can count: "Nigeria (NG)".

    Never the nationality as first written: that old free text may say more than a tip should.
    """
    return f"{nationality_name(code)} ({code})" if code else "-"


@transaction.atomic
def tip_pass(
    *,
    by: User,
    signal: Signal,
    to_organisation: Organisation,
    text: str,
    legal_basis: str,
    purpose: str,
) -> Share:
    """Pass an anonymised tip to the police or the labour inspectorate of the region."""
    _require_triage(by, signal)
    errors: dict[str, list[str]] = {}
    if not tip_recipients(signal).filter(pk=to_organisation.pk).exists():
        errors["to_organisation"] = [_("Tips go to the police or the labour inspectorate.")]
    if not text.strip():
        errors["text"] = [_("Write the tip.")]
    contact = str(signal.reporter_contact or "").strip()
    if contact and contact.casefold() in text.casefold():
        errors["text"] = [_("The tip still holds the reporter's contact details.")]
    if errors:
        raise ValidationError(errors)
    share = share_record(
        by=by,
        target=signal,
        region=signal.region,
        kind=ShareKind.TIP,
        legal_basis=legal_basis,
        purpose=purpose,
        consent_scope=ConsentScope.POLICE,
        to_organisation=to_organisation,
        from_organisation=_organisation_in_region(by, signal),
        content=text.strip(),
    )
    # The receiving organisation's webhooks hear of the tip (its share's id only).
    webhook_event_emit(organisation=to_organisation, event=WebhookEvent.TIP_RECEIVED, record=share)
    return share


def tips_received_by(user: User) -> QuerySet[Share]:
    """Tips passed to the organisations the user works for."""
    return Share.objects.filter(
        kind=ShareKind.TIP,
        to_organisation__in=Organisation.objects.filter(memberships__user=user),
    ).select_related("to_organisation", "region")


# What a coordinator needs to weigh a signal; the page names the missing ones.
COMPLETENESS_FIELDS: tuple[str, ...] = (
    "municipality",
    "place_text",
    "incident_date",
    "exploitation_forms",
    "indicators",
    "people_count",
    "victim_age_band",
    "victim_gender",
)


@dataclass(frozen=True)
class Completeness:
    filled: int
    total: int
    missing: tuple[str, ...]  # the fields' labels in the active language

    @property
    def percent(self) -> int:
        return round(100 * self.filled / self.total)


def completeness(signal: Signal) -> Completeness:
    """How much of what triage needs the signal holds, and what is missing."""
    missing = tuple(
        str(getattr(Signal._meta.get_field(name), "verbose_name", name))
        for name in COMPLETENESS_FIELDS
        if getattr(signal, name) in (None, "", [])
    )
    total = len(COMPLETENESS_FIELDS)
    return Completeness(filled=total - len(missing), total=total, missing=missing)
