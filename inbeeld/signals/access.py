"""Need-to-know for signals: getting a signal by id, and the list of signals a user may see.

The decisions themselves are the permissions in signals/rules.py (django-rules): a signal is
visible to its reporting organisation, to the zorgcoördinators of its region and to the
people it is assigned to, unless its processing is restricted. Anyone else gets 404.
"""

from __future__ import annotations

import hmac
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.http import Http404

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import Organisation, Role, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.privacy.consent import consents_for
from inbeeld.privacy.models import Consent, Share, ShareKind
from inbeeld.privacy.sharing import shares_for
from inbeeld.signals.identifiers import NO_SECRET, receipt_secret_digest
from inbeeld.signals.models import Signal, SignalAttachment, SignalMerge

TRIAGE_ROLES = (Role.ZORGCOORDINATOR,)
INTAKE_ROLES = (Role.ZORGCOORDINATOR, Role.KETENPARTNER, Role.AANDACHTSFUNCTIONARIS)


def _own_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user)


def _assigned_signal_ids(user: User) -> QuerySet[Any]:
    # A subquery rather than a join on the assignments: the join repeated a signal per
    # assignee, which needed DISTINCT over every column, and at 100,000 signals that DISTINCT
    # sorted the whole region for every queue page and its count (seconds; see
    # docs/performance.md). Without a multi-valued join no signal can appear twice. IN, not
    # EXISTS: PostgreSQL costs a correlated EXISTS inside an OR as if run once per row,
    # which made it compile the query (JIT) for hundreds of milliseconds.
    return Signal.assigned_to.through.objects.filter(user=user).values("signal_id")


def signals_visible_to(user: User) -> QuerySet[Signal]:
    coordinated = Q(region__in=regions_where(user, *TRIAGE_ROLES))
    own_organisation = Q(source_organisation__in=_own_organisations(user))
    assigned = Q(pk__in=_assigned_signal_ids(user))
    visible = Signal.objects.filter(coordinated | own_organisation | assigned)
    # A restricted signal (AVG art. 18) is kept but not processed: only the FG sees it.
    return visible.filter(restricted=False)


def signals_visible_parts(user: User) -> list[QuerySet[Signal]]:
    """``signals_visible_to`` cut into disjoint parts whose union is exactly it, each of
    which the database reads along an index: one per region the user coordinates (in the
    queue's order, index ``triage_urgency_order``, so a page reads only its own rows), the
    own organisation's signals elsewhere (by source organisation) and the ones assigned to
    the user elsewhere (by id). Only the queue's pages use this; every other reader asks
    ``signals_visible_to``. A test holds the union equal to it for every kind of account."""
    regions = list(regions_where(user, *TRIAGE_ROLES).values_list("pk", flat=True))
    own_organisations = _own_organisations(user)
    assignments = _assigned_signal_ids(user)
    elsewhere = Signal.objects.filter(restricted=False).exclude(region_id__in=regions)
    return [
        *(Signal.objects.filter(region_id=region, restricted=False) for region in regions),
        elsewhere.filter(source_organisation__in=own_organisations),
        elsewhere.filter(pk__in=assignments).exclude(source_organisation__in=own_organisations),
    ]


def may_triage(user: User, signal: Signal) -> bool:
    return user.has_perm("signals.triage_signal", signal)


# What the rules need to decide: nothing personal is read before the answer is yes.
_DECISION_FIELDS = ("id", "region", "source_organisation", "restricted")
# What a person needs of the signal: to see it, or to triage it (the region's coordinators).
NEEDS = {"view": "signals.view_signal", "triage": "signals.triage_signal"}
Need = Literal["view", "triage"]


def signal_get_for(*, user: User, signal_id: int, purpose: Purpose, need: Need = "view") -> Signal:
    """The signal if the user may see it, or triage it (``need``); else 404, never 403.

    The one door to a signal for staff: pages, the API and the child objects below all come
    through here. The decision is the permission in signals/rules.py; signals_visible_to is
    the same rule as a queryset for lists (tests keep the two equal for every role). The
    read is audited with its purpose.
    """
    candidate = Signal.objects.only(*_DECISION_FIELDS).filter(pk=signal_id).first()
    if candidate is None or not user.has_perm(NEEDS[need], candidate):
        raise Http404
    signal = Signal.objects.select_related("municipality", "region").get(pk=signal_id)
    audit_record(actor=user, action=Action.READ, target=signal, purpose=purpose)
    return signal


# --- the parts of a signal: reached only through the signal's own door ---------------------


def signal_attachment_get_for(
    *, user: User, signal_id: int, attachment_id: int
) -> SignalAttachment:
    """An attachment of a signal the user may see (both reads audited), else 404."""
    signal = signal_get_for(user=user, signal_id=signal_id, purpose=Purpose.ATTACHMENT)
    attachment = SignalAttachment.objects.filter(signal=signal, pk=attachment_id).first()
    if attachment is None:
        raise Http404
    audit_record(
        actor=user,
        action=Action.READ,
        target=attachment,
        purpose=Purpose.ATTACHMENT,
        detail={"signal": signal.pk},
    )
    return attachment


def signal_consent_get_for(
    *, user: User, signal_id: int, consent_id: int
) -> tuple[Signal, Consent]:
    """A consent on a signal the user may triage, else 404."""
    signal = signal_get_for(user=user, signal_id=signal_id, purpose=Purpose.CONSENT, need="triage")
    consent = consents_for(signal).filter(pk=consent_id).first()
    if consent is None:
        raise Http404
    return signal, consent


def signal_assignment_get_for(*, user: User, signal_id: int, share_id: int) -> tuple[Signal, Share]:
    """An assignment (a share) of a signal the user may triage, else 404."""
    signal = signal_get_for(user=user, signal_id=signal_id, purpose=Purpose.TRIAGE, need="triage")
    share = shares_for(signal).filter(pk=share_id, kind=ShareKind.ASSIGNMENT).first()
    if share is None:
        raise Http404
    return signal, share


def signal_merge_get_for(
    *, user: User, signal_id: int, merge_id: int
) -> tuple[Signal, SignalMerge]:
    """A merge the signal takes part in (kept or merged), if the user may triage it; else 404."""
    signal = signal_get_for(user=user, signal_id=signal_id, purpose=Purpose.TRIAGE, need="triage")
    merge = SignalMerge.objects.filter(Q(kept=signal) | Q(merged=signal), pk=merge_id).first()
    if merge is None:
        raise Http404
    return signal, merge


def signal_get_by_receipt(*, code: str, secret: str) -> Signal | None:
    """The reporter's door: the signal behind a receipt code, only with its secret.

    No account and no audit of a person: the reporter is anonymous. A wrong code and a
    wrong secret give the same answer (None) after the same work.
    """
    signal = Signal.objects.filter(receipt_code=code.strip().upper()).first()
    digest = receipt_secret_digest(secret)  # same work either way: the timing says nothing
    stored = signal.receipt_secret_hash if signal is not None else ""
    if not hmac.compare_digest(digest, stored or NO_SECRET):
        return None
    return signal


def intake_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=INTAKE_ROLES, active=True
    ).distinct()
