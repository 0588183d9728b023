"""Encoded lists and linkage runs a user may see, and getting one by id.

The decisions are the permissions in insight/rules.py (django-rules); the querysets here are
the same rules for lists, and tests keep the two equal for every role.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import Organisation, Role, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.insight.models import EncodedList, LinkageRun
from inbeeld.regions.models import Municipality, Region

# Organisations that keep a list of presumed victims upload it through a member in one of
# these roles; the region's coordinators and researchers link the lists and read the result.
UPLOAD_ROLES = (Role.KETENPARTNER, Role.ZORGCOORDINATOR)
ANALYSE_ROLES = (Role.ZORGCOORDINATOR, Role.ONDERZOEKER)
INSIGHT_ROLES = frozenset({*UPLOAD_ROLES, *ANALYSE_ROLES})
# The region's key figures (counts only, insight/figures.py): the programme lead and the
# council's administrator, who see no records.
FIGURES_ROLES = (Role.KETENREGISSEUR, Role.BESTUURDER)
# The operational figures (insight/operations.py): the people who do and steer the work.
OPERATIONS_ROLES = (Role.ZORGCOORDINATOR, Role.KETENREGISSEUR)


def upload_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=UPLOAD_ROLES, active=True
    ).distinct()


def analysis_regions(user: User) -> QuerySet[Region]:
    return regions_where(user, *ANALYSE_ROLES)


def figures_regions(user: User) -> QuerySet[Region]:
    return regions_where(user, *FIGURES_ROLES).order_by("name")


def operations_regions(user: User) -> QuerySet[Region]:
    return regions_where(user, *OPERATIONS_ROLES).order_by("name")


def operations_region_get(*, user: User, code: str | None) -> Region:
    """The region whose operational figures the user asked for (the first of theirs without
    a code); 404 outside the user's regions. Reads no record: durations and counts."""
    regions = operations_regions(user)
    region = regions.filter(code=code).first() if code else regions.first()
    if region is None or not user.has_perm("insight.view_operations_of", region):
        raise Http404
    return region


def dashboard_region_get(*, user: User, code: str | None) -> Region:
    """The region whose dashboard the user asked for (the first of theirs without a code);
    404 outside the user's figures regions. Reads no record: the figures are counts."""
    regions = figures_regions(user)
    region = regions.filter(code=code).first() if code else regions.first()
    if region is None or not user.has_perm("insight.view_dashboard_of", region):
        raise Http404
    return region


def own_municipality(user: User, region: Region) -> Municipality | None:
    """The municipality of the organisation for which the user holds a figures role in the
    region (a council's administrator), to preselect on the dashboard."""
    membership = (
        user.memberships.filter(role__in=FIGURES_ROLES, organisation__region=region)
        .exclude(organisation__municipality=None)
        .select_related("organisation__municipality")
        .first()
    )
    return membership.organisation.municipality if membership is not None else None


def encoded_lists_visible_to(user: User) -> QuerySet[EncodedList]:
    """A partner sees its own organisation's uploads; analysts see their regions' uploads."""
    own = EncodedList.objects.filter(organisation__in=upload_organisations(user))
    regional = EncodedList.objects.filter(region__in=analysis_regions(user))
    return (own | regional).distinct().select_related("organisation", "region", "uploaded_by")


def linkage_runs_visible_to(user: User) -> QuerySet[LinkageRun]:
    return LinkageRun.objects.filter(region__in=analysis_regions(user)).select_related(
        "region", "created_by"
    )


def _linkage_run_permitted(*, user: User, run_id: int) -> LinkageRun:
    run = LinkageRun.objects.select_related("region", "created_by").filter(pk=run_id).first()
    if run is None or not user.has_perm("insight.view_linkagerun", run):
        raise Http404
    return run


def _audit_read(user: User, run: LinkageRun) -> None:
    audit_record(
        actor=user,
        action=Action.READ,
        target=run,
        purpose=Purpose.DARK_NUMBER_ESTIMATE,
    )


def linkage_run_get(*, user: User, run_id: int) -> LinkageRun:
    run = _linkage_run_permitted(user=user, run_id=run_id)
    _audit_read(user, run)
    return run


def linkage_run_state_get(*, user: User, run_id: int) -> LinkageRun:
    """The run for the page's poll: the same check, but the read is audited only once the
    run is finished and its result shown. Asking "is it done yet?" every two seconds
    reads nothing about people and would bury the trail."""
    run = _linkage_run_permitted(user=user, run_id=run_id)
    if run.is_finished:
        _audit_read(user, run)
    return run
