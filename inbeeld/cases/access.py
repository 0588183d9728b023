"""Need-to-know for cases: getting a case by id, and the list of cases a user may see.

The decisions are the permissions in cases/rules.py; cases_visible_to is the same rule as a
queryset for lists (tests keep the two equal for every role). Anyone else gets 404.
"""

from __future__ import annotations

from typing import Literal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import Membership, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.cases.models import Case, CaseTransfer, TransferStatus
from inbeeld.cases.roles import CASE_ROLES, COORDINATOR_ROLES
from inbeeld.privacy.models import Share, ShareKind

NEEDS = {"view": "cases.view_case", "edit": "cases.change_case"}
Need = Literal["view", "edit"]
_DECISION_FIELDS = ("id", "region", "owner_organisation", "restricted")


def cases_visible_to(user: User) -> QuerySet[Case]:
    coordinated = Q(region__in=regions_where(user, *COORDINATOR_ROLES))
    organisations = Membership.objects.filter(user=user, role__in=CASE_ROLES).values("organisation")
    invited = Share.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        kind=ShareKind.CASE_INVITE,
        ended_at__isnull=True,
        to_organisation__in=organisations,
    ).values("object_id")
    visible = Case.objects.filter(
        coordinated | Q(owner_organisation__in=organisations) | Q(pk__in=invited)
    )
    return visible.filter(restricted=False)


def may_edit(user: User, case: Case) -> bool:
    return user.has_perm(NEEDS["edit"], case)


def case_get_for(
    user: User, case_id: int, need: Need = "view", purpose: Purpose = Purpose.CASE_WORK
) -> Case:
    """The case if the user may see it (or change it: ``need="edit"``); else 404, never 403.

    The one door to a case: pages, the API and services' callers come through here. Nothing
    personal is read before the answer is yes; the read is audited with its purpose.
    """
    candidate = Case.objects.only(*_DECISION_FIELDS).filter(pk=case_id).first()
    if candidate is None or not user.has_perm(NEEDS[need], candidate):
        raise Http404
    case = Case.objects.select_related("region", "municipality", "owner", "owner_organisation").get(
        pk=case_id
    )
    audit_record(actor=user, action=Action.READ, target=case, purpose=purpose)
    return case


def transfers_offered_to(user: User) -> QuerySet[CaseTransfer]:
    """Proposals waiting for an answer from a region the user coordinates."""
    return CaseTransfer.objects.filter(
        to_region__in=regions_where(user, *COORDINATOR_ROLES), status=TransferStatus.PROPOSED
    )


def transfer_get_for(user: User, transfer_id: int) -> CaseTransfer:
    """A transfer proposal for the receiving region's coordinator; 404 for anyone else.
    The proposal, not the case: the case stays out of reach until the transfer is accepted."""
    transfer = (
        CaseTransfer.objects.select_related("case", "from_region", "to_region")
        .filter(pk=transfer_id)
        .first()
    )
    if transfer is None or not user.has_perm("cases.answer_transfer", transfer):
        raise Http404
    audit_record(actor=user, action=Action.READ, target=transfer, purpose=Purpose.CASE_WORK)
    return transfer
