"""The network's staff pages: the partners' agenda, an activity with its participants,
planning, registration, the attendance checklist of the day, certificates, and the reach.
Lookups go through network/access.py (404 outside); writes through services.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.models import Organisation
from inbeeld.audit.models import Action
from inbeeld.audit.services import audit_record
from inbeeld.lib.forms import form_errors_add
from inbeeld.network import access, services
from inbeeld.network.certificate import certificate_pdf
from inbeeld.network.forms import ActivityForm, ParticipantForm, PublicAttendeesForm
from inbeeld.network.models import Activity, Participant
from inbeeld.network.reach import REFRESHER_MONTHS, WINDOWS, reach, reach_map, refreshers_due

view_agenda = permission_required("network.view_agenda")
manage_activities = permission_required("network.manage_activities")
view_reach = permission_required("network.view_reach")

# The partners' agenda shows what is coming and what happened in the last months.
AGENDA_PAST_DAYS = 92


@dataclass(frozen=True)
class AgendaRow:
    activity: Activity
    registered: int
    attended: int


@view_agenda
def agenda(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    since = timezone.now() - timedelta(days=AGENDA_PAST_DAYS)
    found = list(
        access.activities_visible_to(user).filter(starts_at__gte=since).order_by("starts_at", "pk")
    )
    counts = _counts(found)
    now = timezone.now()
    rows = [AgendaRow(a, *counts.get(a.pk, (0, 0))) for a in found]
    context = {
        "upcoming": [r for r in rows if r.activity.starts_at >= now],
        "past": [r for r in rows if r.activity.starts_at < now][::-1],
        "keeps": user.has_perm("network.manage_activities"),
    }
    return render(request, "network/agenda.html", context)


def _counts(activities: list[Activity]) -> dict[int, tuple[int, int]]:
    rows = (
        Participant.objects.filter(activity__in=activities)
        .values("activity_id")
        .annotate(registered=Count("pk"), attended=Count("pk", filter=Q(attended=True)))
    )
    return {r["activity_id"]: (r["registered"], r["attended"]) for r in rows}


@view_agenda
def activity_page(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = staff_user_of(request)
    activity = access.activity_get_for(user=user, activity_id=activity_id)
    keeps = user.has_perm("network.manage_activity", activity)
    participants = (
        list(
            activity.participants.select_related("organisation").order_by(
                "organisation__name", "pk"
            )
        )
        if keeps
        else []
    )
    participants.sort(key=lambda p: (p.organisation.name, str(p.name).casefold(), p.pk))
    if keeps:
        services.participants_shown(by=user, participants=participants)
    context = {
        "activity": activity,
        "keeps": keeps,
        "participants": participants,
        "registered": services.registered_count(activity),
        "attended": services.attended_count(activity),
        "full": services.is_full(activity),
        "over_capacity": services.is_over_capacity(activity),
    }
    return render(request, "network/activity.html", context)


@manage_activities
def activity_create(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    form = ActivityForm(
        request.POST or None,
        organisers=access.organisers_for(user),
        municipalities=access.municipalities_for(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(by=user, data=form.input())
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("network:activity", activity_id=activity.pk)
    return render(request, "network/activity_form.html", {"form": form, "activity": None})


@manage_activities
def activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = staff_user_of(request)
    activity = access.activity_get_for(user=user, activity_id=activity_id, need="manage")
    form = ActivityForm(
        request.POST or None,
        initial=ActivityForm.initial_for(activity),
        organisers=access.organisers_for(user).filter(region_id=activity.region_id),
        municipalities=access.municipalities_for(user).filter(region_id=activity.region_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(by=user, activity=activity, data=form.input())
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("network:activity", activity_id=activity.pk)
    return render(request, "network/activity_form.html", {"form": form, "activity": activity})


@manage_activities
def participant_add(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = staff_user_of(request)
    activity = access.activity_get_for(user=user, activity_id=activity_id, need="manage")
    organisations = Organisation.objects.filter(region_id=activity.region_id, active=True).order_by(
        "name"
    )
    form = ParticipantForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_register(by=user, activity=activity, data=form.input())
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Participant registered."))
            if services.is_over_capacity(activity) or (
                activity.capacity is not None
                and services.registered_count(activity) > activity.capacity
            ):
                messages.warning(
                    request,
                    _("More people are registered than the capacity (%(capacity)d).")
                    % {"capacity": activity.capacity},
                )
            if "again" in request.POST:
                return redirect("network:participant_add", activity_id=activity.pk)
            return redirect("network:activity", activity_id=activity.pk)
    context = {"form": form, "activity": activity, "full": services.is_full(activity)}
    return render(request, "network/participant_form.html", context)


@manage_activities
@require_POST
def participant_remove(request: HttpRequest, activity_id: int, participant_id: int) -> HttpResponse:
    user = staff_user_of(request)
    activity = access.activity_get_for(user=user, activity_id=activity_id, need="manage")
    participant = access.participant_get_for(
        user=user, activity=activity, participant_id=participant_id
    )
    services.participant_remove(by=user, participant=participant)
    messages.success(request, _("The registration was removed."))
    return redirect("network:activity", activity_id=activity.pk)


@manage_activities
def attendance(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The checklist of the day: tick who came, count the members of the public."""
    user = staff_user_of(request)
    activity = access.activity_get_for(user=user, activity_id=activity_id, need="manage")
    participants = list(activity.participants.select_related("organisation"))
    participants.sort(key=lambda p: (p.organisation.name, str(p.name).casefold(), p.pk))
    form = PublicAttendeesForm(
        request.POST or None, initial={"public_attendees": activity.public_attendees}
    )
    if request.method == "POST" and form.is_valid():
        ticked = set(request.POST.getlist("present"))
        present = {p.pk: str(p.pk) in ticked for p in participants}
        try:
            result = services.attendance_record(
                by=user,
                activity=activity,
                present=present,
                public_attendees=form.cleaned_data["public_attendees"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(
                request,
                _("Attendance saved: %(count)d professionals present.")
                % {"count": result.attended},
            )
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("network:activity", activity_id=activity.pk)
    services.participants_shown(by=user, participants=participants)
    context = {
        "activity": activity,
        "participants": participants,
        "form": form,
        "over_capacity": services.is_over_capacity(activity),
    }
    return render(request, "network/attendance.html", context)


@manage_activities
def certificate(request: HttpRequest, activity_id: int, participant_id: int) -> HttpResponse:
    user = staff_user_of(request)
    activity = access.activity_get_for(user=user, activity_id=activity_id, need="manage")
    participant = access.participant_get_for(
        user=user, activity=activity, participant_id=participant_id
    )
    if not activity.grants_certificate or participant.attended is not True:
        messages.error(
            request,
            _("A certificate is issued only for an activity that grants one, to who attended."),
        )
        return redirect("network:activity", activity_id=activity.pk)
    pdf = certificate_pdf(participant)
    audit_record(
        actor=user,
        action=Action.EXPORT,
        target=participant,
        purpose=services.PURPOSE,
        detail={"document": "certificate"},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"certificaat-{activity.pk}-{participant.pk}.pdf"
    )
    return response


# --- Reach -------------------------------------------------------------------------------------


@view_reach
def reach_index(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    regions = list(access.kept_regions(user))
    return render(request, "network/reach_index.html", {"regions": regions})


@view_reach
def reach_page(request: HttpRequest, code: str) -> HttpResponse:
    user = staff_user_of(request)
    region = access.reach_region_get_for(user=user, code=code)
    found = reach(region)
    due = refreshers_due(region)
    services.participants_shown(by=user, participants=[d.participant for d in due])
    context = {
        "region": region,
        "reach": found,
        "map": reach_map(found),
        "windows": WINDOWS,
        "due": due,
        "refresher_months": REFRESHER_MONTHS,
    }
    return render(request, "network/reach.html", context)
