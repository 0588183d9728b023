"""Need-to-know for referrals: the receiving organisation's door and its list.

The decisions are referrals/rules.py; ``referrals_incoming_for`` is the same rule as a
queryset. Anyone else gets 404. The sender's side comes through the case's own door
(cases/access.py: case_get_for with need="edit").
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from inbeeld.accounts.models import Membership, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.cases.models import Case
from inbeeld.referrals.models import Referral
from inbeeld.referrals.rules import RECEIVING_ROLES


def referrals_incoming_for(user: User) -> QuerySet[Referral]:
    organisations = Membership.objects.filter(user=user, role__in=RECEIVING_ROLES).values(
        "organisation"
    )
    return Referral.objects.filter(to_organisation__in=organisations, case__restricted=False)


def referral_get_for_recipient(user: User, referral_id: int) -> Referral:
    """A referral to the user's organisation; 404 for anyone else. The read is audited."""
    candidate = (
        (
            Referral.objects.select_related("case").only(
                "id", "to_organisation", "case__id", "case__restricted"
            )
        )
        .filter(pk=referral_id)
        .first()
    )
    if candidate is None or not user.has_perm("referrals.receive_referral", candidate):
        raise Http404
    referral = Referral.objects.select_related(
        "case", "region", "to_organisation", "from_organisation", "created_by"
    ).get(pk=referral_id)
    audit_record(actor=user, action=Action.READ, target=referral, purpose=Purpose.REFERRAL)
    return referral


def referral_of_case(case: Case, referral_id: int) -> Referral:
    """A referral of a case the caller already got through the case's door; else 404."""
    referral = Referral.objects.filter(case=case, pk=referral_id).first()
    if referral is None:
        raise Http404
    return referral
