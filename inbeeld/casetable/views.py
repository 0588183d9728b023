"""The case table's pages: the overview, planning a meeting, the meeting, and its minutes.

Views stay thin: the permission the page declares (casetable/rules.py), the meeting through
access.meeting_get_for, the change through services.py, what is shown through agenda.py.
A refused change shows the meeting page again with the message at the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbeeld.accounts.access import regions_where, staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.models import Organisation, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.casetable import pending, services
from inbeeld.casetable.access import (
    item_get_for,
    may_run,
    meeting_get_for,
    meetings_visible_to,
    statistics_regions,
    table_organisation_ids,
)
from inbeeld.casetable.agenda import agenda_for
from inbeeld.casetable.forms import (
    ActionForm,
    AttendanceForm,
    CaseItemForm,
    DecisionForm,
    GuestForm,
    InviteForm,
    MeetingForm,
    NotesForm,
    StatisticsForm,
)
from inbeeld.casetable.models import AgendaItem, Meeting
from inbeeld.casetable.roles import CHAIR_ROLES
from inbeeld.casetable.statistics import table_statistics
from inbeeld.lib.forms import form_errors_add


@permission_required("casetable.view_case_table")
def index(request: HttpRequest) -> HttpResponse:
    """The meetings the user may see, and the signals marked for the table (pseudonymised)."""
    user = staff_user_of(request)
    today = timezone.localdate()
    meetings = meetings_visible_to(user).select_related("region")
    context = {
        "upcoming": list(meetings.filter(date__gte=today).order_by("date")[:20]),
        "past": list(meetings.filter(date__lt=today).order_by("-date")[:20]),
        "items": pending.case_table_for(user),
        "may_plan": user.has_perm("casetable.plan_meeting"),
        "may_see_statistics": user.has_perm("casetable.view_statistics"),
    }
    return render(request, "casetable/index.html", context)


@permission_required("casetable.view_statistics")
def statistics(request: HttpRequest) -> HttpResponse:
    """The table's figures of one of the user's regions, for a period. Counts and durations
    only (no signal, case or person), so the page reads no personal data to audit."""
    user = staff_user_of(request)
    regions = statistics_regions(user)
    form = StatisticsForm(request.GET or None, regions=regions)
    figures = None
    if not form.is_bound or form.is_valid():
        values = form.cleaned_data if form.is_bound else {}
        region = values.get("region") or regions.first()
        if region is None or not user.has_perm("casetable.view_statistics_of", region):
            raise Http404
        figures = table_statistics(region=region, start=values.get("start"), end=values.get("end"))
    return render(request, "casetable/statistics.html", {"form": form, "figures": figures})


@permission_required("casetable.plan_meeting")
def meeting_plan(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    form = MeetingForm(request.POST or None, regions=regions_where(user, *CHAIR_ROLES))
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        data = services.MeetingInput(
            date=values["date"],
            chair=values["chair"],
            secretary=values["secretary"],
            organisations=list(values["organisations"]),
        )
        try:
            meeting = services.meeting_plan(by=user, region=values["region"], data=data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("The meeting is planned."))
            return redirect("casetable:meeting", meeting.pk)
    return render(request, "casetable/plan.html", {"form": form})


def _item_forms(meeting: Meeting, item: AgendaItem, bound: dict[str, Form]) -> dict[str, Form]:
    prefix = f"item{item.pk}"
    return {
        "notes": bound.get("notes") or NotesForm(prefix=prefix, initial={"notes": item.notes}),
        "decision": bound.get("decision") or DecisionForm(prefix=prefix, meeting=meeting),
        "action": bound.get("action") or ActionForm(prefix=prefix, meeting=meeting),
    }


def _page(
    request: HttpRequest,
    user: User,
    meeting: Meeting,
    *,
    status: int = 200,
    item_id: int | None = None,
    item_bound: dict[str, Form] | None = None,
    forms: Mapping[str, Form] | None = None,
) -> HttpResponse:
    forms = forms or {}
    running = may_run(user, meeting)
    agenda = agenda_for(user, meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "agenda": agenda,
        "may_run": running,
        "invitations": meeting.invitations.select_related("organisation"),
        "my_organisations": table_organisation_ids(user),
    }
    if running:
        for shown in agenda:
            bound = item_bound if shown.item.pk == item_id and item_bound else {}
            shown.forms = _item_forms(meeting, shown.item, bound)  # type: ignore[attr-defined]
        context |= {
            "attendance": meeting.attendance.select_related("user"),
            "guests": meeting.guests.all(),
            "minutes_sent": meeting.minutes_sent.select_related("organisation"),
            "invite_form": forms.get("invite_form") or InviteForm(meeting=meeting),
            "attendance_form": forms.get("attendance_form")
            or AttendanceForm(
                meeting=meeting,
                initial={"users": list(meeting.attendance.values_list("user", flat=True))},
            ),
            "guest_form": forms.get("guest_form") or GuestForm(),
            "case_form": forms.get("case_form") or CaseItemForm(meeting=meeting),
        }
    return render(request, "casetable/meeting.html", context, status=status)


@permission_required("casetable.view_case_table")
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = staff_user_of(request)
    return _page(request, user, meeting_get_for(user, meeting_id))


def _meeting_form_step(
    request: HttpRequest,
    meeting_id: int,
    form_name: str,
    make_form: Callable[[Meeting], Form],
    act: Callable[[User, Meeting, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A step on the meeting as a whole: parse, call the service, or show the refusal."""
    user = staff_user_of(request)
    meeting = meeting_get_for(user, meeting_id, need="run")
    form = make_form(meeting)
    if form.is_valid():
        try:
            act(user, meeting, form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, done)
            return redirect("casetable:meeting", meeting.pk)
    return _page(request, user, meeting, forms={form_name: form})


@require_POST
@permission_required("casetable.view_case_table")
def invite(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _meeting_form_step(
        request,
        meeting_id,
        "invite_form",
        lambda meeting: InviteForm(request.POST, meeting=meeting),
        lambda user, meeting, values: services.meeting_invite(
            by=user, meeting=meeting, organisation=values["organisation"]
        ),
        _("The organisation is invited."),
    )


@require_POST
@permission_required("casetable.view_case_table")
def attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _meeting_form_step(
        request,
        meeting_id,
        "attendance_form",
        lambda meeting: AttendanceForm(request.POST, meeting=meeting),
        lambda user, meeting, values: services.attendance_record(
            by=user, meeting=meeting, users=list(values["users"])
        ),
        _("Attendance recorded."),
    )


@require_POST
@permission_required("casetable.view_case_table")
def guest_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _meeting_form_step(
        request,
        meeting_id,
        "guest_form",
        lambda meeting: GuestForm(request.POST),
        lambda user, meeting, values: services.guest_add(
            by=user,
            meeting=meeting,
            name=values["name"],
            affiliation=values["affiliation"],
            accepted=values["accepted"],
        ),
        _("The occasional attendee is recorded with the statement accepted."),
    )


@require_POST
@permission_required("casetable.view_case_table")
def case_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _meeting_form_step(
        request,
        meeting_id,
        "case_form",
        lambda meeting: CaseItemForm(request.POST, meeting=meeting),
        lambda user, meeting, values: services.item_add_case(
            by=user, meeting=meeting, case=values["case"]
        ),
        _("The case is on the agenda."),
    )


@require_POST
@permission_required("casetable.view_case_table")
def agenda_build(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = staff_user_of(request)
    meeting = meeting_get_for(user, meeting_id, need="run")
    added = services.agenda_build(by=user, meeting=meeting)
    messages.success(request, _("Items added to the agenda: %(count)d.") % {"count": added})
    return redirect("casetable:meeting", meeting.pk)


def _item_step(
    request: HttpRequest,
    meeting_id: int,
    item_id: int,
    name: str,
    make_form: Callable[[Meeting, str], Form],
    act: Callable[[User, AgendaItem, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A step on one item (notes, decision, action), its form prefixed by the item."""
    user = staff_user_of(request)
    meeting = meeting_get_for(user, meeting_id, need="run")
    item = item_get_for(user, meeting, item_id)
    form = make_form(meeting, f"item{item.pk}")
    if form.is_valid():
        try:
            act(user, item, form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, done)
            return redirect(reverse("casetable:meeting", args=[meeting.pk]) + f"#item-{item.pk}")
    return _page(request, user, meeting, item_id=item.pk, item_bound={name: form})


@require_POST
@permission_required("casetable.view_case_table")
def item_notes(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    return _item_step(
        request,
        meeting_id,
        item_id,
        "notes",
        lambda meeting, prefix: NotesForm(request.POST, prefix=prefix),
        lambda user, item, values: services.item_notes_save(
            by=user, item=item, notes=values["notes"]
        ),
        _("Notes saved."),
    )


def _decision_input(values: dict[str, Any]) -> services.DecisionInput:
    return services.DecisionInput(
        outcome=values["outcome"],
        reason=values["reason"],
        lead=values["lead"],
        supporting=list(values["supporting"]),
        shared=values["shared"],
    )


@require_POST
@permission_required("casetable.view_case_table")
def item_decision(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    return _item_step(
        request,
        meeting_id,
        item_id,
        "decision",
        lambda meeting, prefix: DecisionForm(request.POST, prefix=prefix, meeting=meeting),
        lambda user, item, values: services.decision_record(
            by=user, item=item, data=_decision_input(values)
        ),
        _("Decision recorded."),
    )


@require_POST
@permission_required("casetable.view_case_table")
def item_action(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    return _item_step(
        request,
        meeting_id,
        item_id,
        "action",
        lambda meeting, prefix: ActionForm(request.POST, prefix=prefix, meeting=meeting),
        lambda user, item, values: services.action_add(
            by=user,
            item=item,
            data=services.ActionInput(
                title=values["title"],
                owner_organisation=values["owner_organisation"],
                owner=values["owner"],
                due=values["due"],
            ),
        ),
        _("Action added."),
    )


@permission_required("casetable.view_case_table")
def minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The minutes as this reader may see them: the full version for those who run the
    meeting, each partner's own version (only its items' shares and actions) for the rest.
    Opening them is audited, as a read of the meeting and of every item shown."""
    user = staff_user_of(request)
    meeting = meeting_get_for(user, meeting_id)
    agenda = agenda_for(user, meeting)
    running = may_run(user, meeting)
    organisations = table_organisation_ids(user)
    recipient = (
        None
        if running
        else Organisation.objects.filter(
            pk__in=organisations & set(meeting.invitations.values_list("organisation", flat=True))
        ).first()
    )
    audit_record(
        actor=user,
        action=Action.READ,
        target=meeting,
        purpose=Purpose.CASE_TABLE_MEETING,
        detail={"what": "minutes", "version": "full" if running else "partner"},
    )
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "full": running,
        "recipient": recipient,
        "attendance": meeting.attendance.select_related("user"),
        "guests": meeting.guests.all() if running else [],
        "invitations": meeting.invitations.select_related("organisation"),
    }
    return render(request, "casetable/minutes.html", context)


@require_POST
@permission_required("casetable.view_case_table")
def minutes_send(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = staff_user_of(request)
    meeting = meeting_get_for(user, meeting_id, need="run")
    sent = services.minutes_send(by=user, meeting=meeting)
    messages.success(
        request,
        _("Minutes sent to %(count)d organisations, each its own version.") % {"count": sent},
    )
    return redirect("casetable:meeting", meeting.pk)
