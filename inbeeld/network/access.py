"""The doors to the network's activities: the querysets of network/rules.py, and the
lookups that answer 404 outside them. Activities hold no personal data (their reads are not
audited); participants do: every page that shows their names records the read
(services.participants_shown)."""

from __future__ import annotations

from typing import Literal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import Organisation, User
from inbeeld.network.models import Activity, IssueStatus, NewsletterIssue, Participant
from inbeeld.network.rules import KEEPER_ROLES
from inbeeld.regions.models import Municipality, Region

Need = Literal["view", "manage"]


def activities_visible_to(user: User) -> QuerySet[Activity]:
    """The activities of every region in which the user holds a role (network.view_activity)."""
    return Activity.objects.filter(region__in=regions_where(user)).select_related(
        "region", "municipality", "organiser"
    )


def activities_kept_by(user: User) -> QuerySet[Activity]:
    """The activities of the regions the user keeps the network of (network.manage_activity)."""
    return Activity.objects.filter(region__in=regions_where(user, *KEEPER_ROLES)).select_related(
        "region", "municipality", "organiser"
    )


def activity_get_for(*, user: User, activity_id: int, need: Need = "view") -> Activity:
    found = activities_visible_to(user) if need == "view" else activities_kept_by(user)
    activity = found.filter(pk=activity_id).first()
    permission = "network.view_activity" if need == "view" else "network.manage_activity"
    if activity is None or not user.has_perm(permission, activity):
        raise Http404
    return activity


def participant_get_for(*, user: User, activity: Activity, participant_id: int) -> Participant:
    """A participant of an activity the user keeps (the activity came through its door)."""
    participant = (
        Participant.objects.filter(activity=activity, pk=participant_id)
        .select_related("organisation", "activity__region")
        .first()
    )
    if participant is None or not user.has_perm("network.manage_activity", activity):
        raise Http404
    return participant


def kept_regions(user: User) -> QuerySet[Region]:
    return regions_where(user, *KEEPER_ROLES).order_by("name")


def reach_region_get_for(*, user: User, code: str) -> Region:
    region = kept_regions(user).filter(code=code).first()
    if region is None or not user.has_perm("network.view_reach_of", region):
        raise Http404
    return region


def organisers_for(user: User) -> QuerySet[Organisation]:
    """The active organisations of the regions the user keeps: an activity's organiser."""
    return Organisation.objects.filter(region__in=kept_regions(user), active=True).order_by(
        "region__name", "name"
    )


def municipalities_for(user: User) -> QuerySet[Municipality]:
    return Municipality.objects.filter(region__in=kept_regions(user)).order_by("name")


def public_activities(region: Region | None = None) -> QuerySet[Activity]:
    """What anyone may see: public, not cancelled activities (no door: nothing personal)."""
    found = Activity.objects.filter(public=True, cancelled=False).select_related(
        "region", "municipality", "organiser"
    )
    if region is not None:
        found = found.filter(region=region)
    return found


def public_upcoming(region: Region | None = None) -> QuerySet[Activity]:
    today = timezone.localdate()
    return public_activities(region).filter(starts_at__date__gte=today)


def newsletter_issues_kept_by(user: User) -> QuerySet[NewsletterIssue]:
    """The issues of the regions whose network the user keeps (network.compose_newsletter_of)."""
    return NewsletterIssue.objects.filter(region__in=kept_regions(user)).select_related("region")


def newsletter_issue_get_for(*, user: User, issue_id: int) -> NewsletterIssue:
    issue = newsletter_issues_kept_by(user).filter(pk=issue_id).first()
    if issue is None or not user.has_perm("network.compose_newsletter_of", issue):
        raise Http404
    return issue


def sent_issues(region: Region) -> QuerySet[NewsletterIssue]:
    """What anyone may read: a region's sent issues (the archive)."""
    return NewsletterIssue.objects.filter(region=region, status=IssueStatus.SENT).order_by(
        "-sent_at", "-pk"
    )
