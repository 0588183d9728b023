"""Need-to-know for signals: the one place that decides who may see which signal.

A signal is visible to its reporting organisation, to the zorgcoördinators of its region and
to the people it is assigned to. Anyone else gets 404.
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
    assigned = Q(assigned_to=user)
    visible = Signal.objects.filter(coordinated | own_organisation | assigned)
    # A restricted signal (AVG art. 18) is kept but not processed: only the FG sees it.
    return visible.filter(restricted=False).distinct()


def may_triage(user: User, signal: Signal) -> bool:
    return regions_where(user, *TRIAGE_ROLES).filter(pk=signal.region_id).exists()


def signal_get_for(*, user: User, signal_id: int, purpose: str) -> Signal:
    """The signal if the user may see it (the read is audited with its purpose), else 404."""
    try:
        signal = signals_visible_to(user).select_related("municipality", "region").get(pk=signal_id)
    except Signal.DoesNotExist:
        raise Http404 from None
    audit_record(
        actor=user, action=Action.READ, target=signal, region=signal.region.code, purpose=purpose
    )
    return signal


def intake_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=INTAKE_ROLES, active=True
    ).distinct()
