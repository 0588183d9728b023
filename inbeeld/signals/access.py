"""Need-to-know for signals: getting a signal by id, and the list of signals a user may see.

The decisions themselves are the permissions in signals/rules.py (django-rules): a signal is
visible to its reporting organisation, to the zorgcoördinators of its region and to the
people it is assigned to, unless its processing is restricted. Anyone else gets 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import Organisation, Role, User
from inbeeld.audit.models import Action
from inbeeld.audit.services import audit_record
from inbeeld.signals.models import Signal

TRIAGE_ROLES = (Role.ZORGCOORDINATOR,)
INTAKE_ROLES = (Role.ZORGCOORDINATOR, Role.KETENPARTNER, Role.AANDACHTSFUNCTIONARIS)


def signals_visible_to(user: User) -> QuerySet[Signal]:
    coordinated = Q(region__in=regions_where(user, *TRIAGE_ROLES))
    own_organisation = Q(
        source_organisation__in=Organisation.objects.filter(memberships__user=user)
    )
    # A subquery rather than a join on the assignments: the join repeated a signal per
    # assignee, which needed DISTINCT over every column, and at 100,000 signals that DISTINCT
    # sorted the whole region for every queue page and its count (seconds; see
    # docs/performance.md). Without a multi-valued join no signal can appear twice. IN, not
    # EXISTS: PostgreSQL costs a correlated EXISTS inside an OR as if run once per row,
    # which made it compile the query (JIT) for hundreds of milliseconds.
    assignments = Signal.assigned_to.through.objects.filter(user=user).values("signal_id")
    assigned = Q(pk__in=assignments)
    visible = Signal.objects.filter(coordinated | own_organisation | assigned)
    # A restricted signal (AVG art. 18) is kept but not processed: only the FG sees it.
    return visible.filter(restricted=False)


def may_triage(user: User, signal: Signal) -> bool:
    return user.has_perm("signals.triage_signal", signal)


# What signals.view_signal needs to decide: nothing personal is read before the answer is yes.
_DECISION_FIELDS = ("id", "region", "source_organisation", "restricted")


def signal_get_for(*, user: User, signal_id: int, purpose: str) -> Signal:
    """The signal if the user may see it (the read is audited with its purpose), else 404.

    The decision is signals.view_signal in signals/rules.py; signals_visible_to is the same
    rule as a queryset for lists (tests keep the two equal for every role).
    """
    candidate = Signal.objects.only(*_DECISION_FIELDS).filter(pk=signal_id).first()
    if candidate is None or not user.has_perm("signals.view_signal", candidate):
        raise Http404
    signal = Signal.objects.select_related("municipality", "region").get(pk=signal_id)
    audit_record(
        actor=user, action=Action.READ, target=signal, region=signal.region.code, purpose=purpose
    )
    return signal


def intake_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=INTAKE_ROLES, active=True
    ).distinct()
