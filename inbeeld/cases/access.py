"""Need-to-know for cases: getting a case by id, and the list of cases a user may see.

The decisions are the permissions in cases/rules.py; cases_visible_to is the same rule as a
queryset for lists (tests keep the two equal for every role). Anyone else gets 404.
"""

from __future__ import annotations

from datetime import datetime
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


ListStatus = Literal["open", "closed", "all"]


def case_list_page(
    user: User,
    *,
    status: ListStatus = "open",
    after: tuple[datetime, int] | None = None,
    size: int = 50,
) -> list[Case]:
    """One keyset page (``size`` + 1 rows, the extra one says there is a next page) of the
    cases the user may see, newest first: the same cases as ``cases_visible_to``.

    ``after`` is the (created_at, id) of the last row of the previous page. The cases the user
    coordinates, those of their organisations and those they are invited to are read as
    three index scans of at most ``size`` + 1 rows each and merged here: one query with OR
    cannot use the (region, status, created_at) index, so a partner invited to a few cases
    of a large region made the database walk all of the region's cases; and no page counts
    the region's cases (a COUNT read every one of them on every page).
    """
    # The user's regions and organisations first, as lists: as subqueries the planner could
    # not know that a partner coordinates nothing, and walked the region's cases to find so.
    regions = list(regions_where(user, *COORDINATOR_ROLES).values_list("pk", flat=True))
    organisations = list(
        Membership.objects.filter(user=user, role__in=CASE_ROLES).values_list(
            "organisation_id", flat=True
        )
    )
    parts = []
    if regions:
        parts.append(Case.objects.filter(region__in=regions))
    if organisations:
        parts.append(Case.objects.filter(owner_organisation__in=organisations))
        # The invited cases' ids as a list too: as a subquery the planner guessed it would
        # find them soon among the newest cases and probed the shares for each of them.
        invited = Share.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            kind=ShareKind.CASE_INVITE,
            ended_at__isnull=True,
            to_organisation__in=organisations,
        ).values_list("object_id", flat=True)
        parts.append(Case.objects.filter(pk__in=list(invited)))
    rows: dict[int, Case] = {}
    for part in parts:
        part = part.filter(restricted=False)
        if status != "all":
            part = part.filter(status="open") if status == "open" else part.exclude(status="open")
        if after is not None:
            part = part.filter(Q(created_at__lt=after[0]) | Q(created_at=after[0], pk__lt=after[1]))
        if len(rows) > size:
            # A full page is known: an older case cannot be on it, so the next part reads
            # only the few newer ones (the coordinator's own organisation's cases are many).
            oldest = sorted(rows.values(), key=_newest_first)[size]
            part = part.filter(created_at__gte=oldest.created_at)
        shown = part.select_related("region", "municipality", "owner_organisation")
        for case in shown.order_by("-created_at", "-pk")[: size + 1]:
            rows.setdefault(case.pk, case)
    return sorted(rows.values(), key=_newest_first)[: size + 1]


def _newest_first(case: Case) -> tuple[float, int]:
    return (-case.created_at.timestamp(), -case.pk)


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
