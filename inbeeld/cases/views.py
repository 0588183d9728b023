"""The case pages: the list, a case with its timeline, and the steps on it.

Views stay thin: the permission the page declares (cases/rules.py), the case through
access.case_get_for, the change through services.py. A change refused because someone else
changed the case first shows the case as it is now with the message on top.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.models import User
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.cases import services
from inbeeld.cases.access import (
    case_get_for,
    case_list_page,
    cases_visible_to,
    may_edit,
    transfer_get_for,
    transfers_offered_to,
)
from inbeeld.cases.codes import CONTEXT_FIELDS
from inbeeld.cases.concurrency import CaseChangedError
from inbeeld.cases.forms import (
    CaseForm,
    CaseNoteForm,
    CloseForm,
    EventForm,
    InviteForm,
    LinkSignalForm,
    ReopenForm,
    TransferForm,
    TransferRejectForm,
    case_initial,
)
from inbeeld.cases.models import Case, CasePerson, CaseStatus, TransferStatus
from inbeeld.cases.participants import case_invites
from inbeeld.cases.sections import case_sections
from inbeeld.cases.services import CaseInput, EventInput, PersonInput
from inbeeld.cases.timeline import case_timeline
from inbeeld.signals.access import signal_get_for


def _add_errors(form: Form, error: ValidationError) -> None:
    """A service's errors on the form's fields ("person.name" on "name"), else on top, an
    event's error saying which event."""
    for key, texts in error.message_dict.items():
        name = key.removeprefix("person.")
        target = name if name in form.fields and not form.fields[name].widget.is_hidden else None
        parts = key.split(".")
        for text in texts:
            if target is None and parts[0] == "events" and len(parts) == 3:
                text = _("Event %(number)s: %(message)s") % {
                    "number": int(parts[1]) + 1,
                    "message": text,
                }
            form.add_error(target, text)


PAGE_SIZE = 50


def _cursor(value: str) -> tuple[datetime, int] | None:
    """The (created_at, id) a page continues after, from ``?na=``; nonsense: the start."""
    key, _sep, pk = value.rpartition("_")
    try:
        moment = datetime.fromisoformat(key)
        return (moment if moment.tzinfo else timezone.make_aware(moment)), int(pk)
    except ValueError:
        return None


@permission_required("cases.view_cases")
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases the user may see, newest first, a keyset page at a time (``?na=``)."""
    user = staff_user_of(request)
    status = request.GET.get("status", "open")
    if status not in ("open", "closed"):
        status = "all"
    after = _cursor(request.GET.get("na", ""))
    rows = case_list_page(user, status=status, after=after, size=PAGE_SIZE)  # type: ignore[arg-type]
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    people = {p.case_id: p for p in CasePerson.objects.filter(case__in=rows)}
    for case in rows:
        case.shown_person = people.get(case.pk)  # type: ignore[attr-defined]
    if rows:
        audit_record_reads(actor=user, records=rows, purpose=Purpose.CASE_WORK)
    context = {
        "rows": rows,
        "status": status,
        "next": f"{rows[-1].created_at.isoformat()}_{rows[-1].pk}" if more else "",
        "first_page": after is None,
    }
    return render(request, "cases/list.html", context)


def _page(
    request: HttpRequest,
    user: User,
    case: Case,
    *,
    conflict: CaseChangedError | None = None,
    status: int = 200,
    **forms: Form,
) -> HttpResponse:
    editable = may_edit(user, case)
    seen = {"version": case.version}
    context: dict[str, Any] = {
        "case": case,
        "person": CasePerson.objects.filter(case=case).first(),
        "timeline": case_timeline(case),
        "signals": case.case_signals.select_related("signal"),
        "participants": case_invites(case.pk).select_related("to_organisation", "shared_by"),
        "events": case.events.select_related("municipality"),
        "may_edit": editable,
        "conflict": conflict.message if conflict else None,
        "note_form": forms.get("note_form") or CaseNoteForm(),
        # Other apps' parts of the page (sections.py), each rendered from its own template.
        "sections": [
            render_to_string(
                section.template, section.context(request, user, case, editable), request
            )
            for section in case_sections()
        ],
    }
    if editable:
        context |= {
            "event_form": forms.get("event_form") or EventForm(initial=seen),
            "invite_form": forms.get("invite_form") or InviteForm(case=case),
            "close_form": forms.get("close_form") or CloseForm(initial=seen),
            "reopen_form": forms.get("reopen_form") or ReopenForm(initial=seen),
            "transfer_form": forms.get("transfer_form") or TransferForm(case=case),
            "transfer": case.transfers.filter(status=TransferStatus.PROPOSED)
            .select_related("to_region")
            .first(),
        }
    return render(request, "cases/detail.html", context, status=status)


@permission_required("cases.view_cases")
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user_of(request)
    return _page(request, user, case_get_for(user, case_id))


@permission_required("cases.view_cases")
def case_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user_of(request)
    case = case_get_for(user, case_id, need="edit")
    form = CaseForm(request.POST or None, case=case, initial=case_initial(case))
    conflict = None
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        data = CaseInput(
            municipality=values["municipality"],
            exploitation_forms=values["exploitation_forms"],
            trafficking_status=values["trafficking_status"],
            decided_by=values["decided_by"],
            person=PersonInput(
                name=values["name"],
                date_of_birth=values["date_of_birth"],
                gender=values["gender"],
                nationalities=values["nationalities"],
                age_band=values["age_band"],
            ),
            events=_current_events(case),
            **{name: values[name] for name in CONTEXT_FIELDS},
        )
        try:
            services.case_update(by=user, case=case, version=values["version"], data=data)
        except CaseChangedError as error:
            conflict = error.message
            case = case_get_for(user, case_id, need="edit")
            kept = request.POST.copy()
            kept["version"] = str(case.version)
            form = CaseForm(kept, case=case)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Case saved."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/edit.html", {"case": case, "form": form, "conflict": conflict})


def _current_events(case: Case) -> list[EventInput]:
    return [
        EventInput(
            kind=e.kind, municipality=e.municipality, country=e.country, start=e.start, end=e.end
        )
        for e in case.events.select_related("municipality")
    ]


@require_POST
@permission_required("cases.view_cases")
def event_add(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user_of(request)
    case = case_get_for(user, case_id, need="edit")
    form = EventForm(request.POST)
    if form.is_valid():
        values = form.cleaned_data
        new = EventInput(
            kind=values["kind"],
            municipality=values["municipality"],
            country=values["country"],
            start=values["start"],
            end=values["end"],
        )
        events = _current_events(case)
        data = services.case_input_of(case, [*events, new])
        try:
            services.case_update(by=user, case=case, version=values["version"], data=data)
        except CaseChangedError as error:
            return _page(request, user, case_get_for(user, case_id), conflict=error)
        except ValidationError as error:
            prefix = f"events.{len(events)}."
            renamed = {key.removeprefix(prefix): texts for key, texts in error.message_dict.items()}
            _add_errors(form, ValidationError(renamed))
        else:
            messages.success(request, _("Event added."))
            return redirect("cases:detail", case_id=case.pk)
    return _page(request, user, case, event_form=form)


@require_POST
@permission_required("cases.view_cases")
def note_add(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user_of(request)
    # Writing in the case is the region's coordinator's (cases/rules.py); partners read.
    case = case_get_for(user, case_id, need="edit")
    form = CaseNoteForm(request.POST)
    if form.is_valid():
        services.note_add(by=user, case=case, text=form.cleaned_data["text"])
        messages.success(request, _("Note added."))
        return redirect("cases:detail", case_id=case.pk)
    return _page(request, user, case, note_form=form)


@require_POST
@permission_required("cases.view_cases")
def invite(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user_of(request)
    case = case_get_for(user, case_id, need="edit")
    form = InviteForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.case_invite(by=user, case=case, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Organisation invited."))
            return redirect("cases:detail", case_id=case.pk)
    return _page(request, user, case, invite_form=form)


@require_POST
@permission_required("cases.view_cases")
def invite_end(request: HttpRequest, case_id: int, share_id: int) -> HttpResponse:
    user = staff_user_of(request)
    case = case_get_for(user, case_id, need="edit")
    share = case_invites(case.pk).filter(pk=share_id).first()
    if share is None:
        raise Http404
    services.case_invite_end(by=user, case=case, share=share)
    messages.success(request, _("The organisation no longer takes part."))
    return redirect("cases:detail", case_id=case.pk)


@require_POST
@permission_required("cases.view_cases")
def close(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user_of(request)
    case = case_get_for(user, case_id, need="edit")
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.case_close(by=user, case=case, **form.cleaned_data)
        except CaseChangedError as error:
            return _page(request, user, case_get_for(user, case_id), conflict=error)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Case closed."))
            return redirect("cases:detail", case_id=case.pk)
    return _page(request, user, case, close_form=form)


@require_POST
@permission_required("cases.view_cases")
def reopen(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user_of(request)
    case = case_get_for(user, case_id, need="edit")
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.case_reopen(by=user, case=case, version=form.cleaned_data["version"])
        except CaseChangedError as error:
            return _page(request, user, case_get_for(user, case_id), conflict=error)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Case reopened."))
            return redirect("cases:detail", case_id=case.pk)
    return _page(request, user, case, reopen_form=form)


@require_POST
@permission_required("cases.add_case")
def open_from_signal(request: HttpRequest, signal_id: int) -> HttpResponse:
    """The zorgcoördinator's button on a signal's page: a case from this signal."""
    user = staff_user_of(request)
    signal = signal_get_for(
        user=user, signal_id=signal_id, purpose=Purpose.CASE_WORK, need="triage"
    )
    try:
        case = services.case_open_from_signals(by=user, signals=[signal])
    except ValidationError as error:
        for texts in error.message_dict.values():
            for text in texts:
                messages.error(request, text)
        return redirect("signals:detail", signal_id=signal.pk)
    messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
    return redirect("cases:edit", case_id=case.pk)


@require_POST
@permission_required("cases.view_cases")
def transfer_propose(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user_of(request)
    case = case_get_for(user, case_id, need="edit")
    form = TransferForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.case_transfer_propose(by=user, case=case, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Transfer proposed to the other region."))
            return redirect("cases:detail", case_id=case.pk)
    return _page(request, user, case, transfer_form=form)


@permission_required("cases.view_transfers")
def transfers(request: HttpRequest) -> HttpResponse:
    """Cases other regions offer to the user's region: the proposals only."""
    user = staff_user_of(request)
    offered = list(transfers_offered_to(user).select_related("from_region", "to_region", "case"))
    if offered:
        audit_record_reads(actor=user, records=offered, purpose=Purpose.CASE_WORK)
    return render(request, "cases/transfers.html", {"transfers": offered})


def _transfer_page(
    request: HttpRequest, transfer: Any, form: TransferRejectForm | None = None
) -> HttpResponse:
    person = CasePerson.objects.filter(case=transfer.case).first()
    return render(
        request,
        "cases/transfer.html",
        {
            "transfer": transfer,
            # The minimum to decide on: the forms of exploitation and whether a minor.
            "forms_of_exploitation": transfer.case.exploitation_form_labels,
            "minor": bool(person and person.is_minor),
            "reject_form": form or TransferRejectForm(),
        },
    )


@permission_required("cases.view_transfers")
def transfer_detail(request: HttpRequest, transfer_id: int) -> HttpResponse:
    user = staff_user_of(request)
    return _transfer_page(request, transfer_get_for(user, transfer_id))


@require_POST
@permission_required("cases.view_transfers")
def transfer_accept(request: HttpRequest, transfer_id: int) -> HttpResponse:
    user = staff_user_of(request)
    transfer = transfer_get_for(user, transfer_id)
    try:
        case = services.case_transfer_accept(by=user, transfer=transfer)
    except ValidationError as error:
        for texts in error.message_dict.values():
            for text in texts:
                messages.error(request, text)
        return redirect("cases:transfers")
    messages.success(request, _("Case %(reference)s taken over.") % {"reference": case.reference})
    return redirect("cases:detail", case_id=case.pk)


@require_POST
@permission_required("cases.view_transfers")
def transfer_reject(request: HttpRequest, transfer_id: int) -> HttpResponse:
    user = staff_user_of(request)
    transfer = transfer_get_for(user, transfer_id)
    form = TransferRejectForm(request.POST)
    if form.is_valid():
        try:
            services.case_transfer_reject(by=user, transfer=transfer, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Transfer rejected."))
            return redirect("cases:transfers")
    return _transfer_page(request, transfer, form)


@permission_required("cases.add_case")
def link_signal(request: HttpRequest, signal_id: int) -> HttpResponse:
    """The zorgcoördinator's step on a signal's page: add it to an open case of its region."""
    user = staff_user_of(request)
    signal = signal_get_for(
        user=user, signal_id=signal_id, purpose=Purpose.CASE_WORK, need="triage"
    )
    open_cases = (
        cases_visible_to(user)
        .filter(region=signal.region, status=CaseStatus.OPEN)
        .exclude(case_signals__signal=signal)
        .order_by("-created_at")
    )
    form = LinkSignalForm(request.POST or None, cases=open_cases)
    if request.method == "POST" and form.is_valid():
        case = form.cleaned_data["case"]
        try:
            services.case_link_signal(by=user, case=case, signal=signal)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Signal added to case %(reference)s.") % {"reference": case.reference}
            )
            return redirect("signals:detail", signal_id=signal.pk)
    return render(request, "cases/link_signal.html", {"signal": signal, "form": form})
