"""The care plan's pages: the plan, a domain's text, an action, the history, the print view.

Views stay thin: the page's permission (careplans/rules.py), the plan through
access.careplan_get_for (404 outside need-to-know, the read audited), the change through
services.py. A change refused because someone else changed the plan first shows the plan as
it is now with a message on top, and keeps the person's input in the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.models import User
from inbeeld.careplans import services
from inbeeld.careplans.access import PlanOfCase, action_get_for, careplan_get_for, may_change
from inbeeld.careplans.concurrency import CarePlanChangedError
from inbeeld.careplans.forms import ActionForm, ActionStatusForm, DomainForm
from inbeeld.careplans.history import action_numbers, version_texts
from inbeeld.careplans.models import CarePlanAction, CarePlanDomain, LifeDomain
from inbeeld.careplans.page import plan_domains, plan_summary
from inbeeld.careplans.services import ActionInput, DomainInput
from inbeeld.cases.models import CasePerson
from inbeeld.lib.forms import form_errors_add


def _version(found: PlanOfCase) -> int:
    return found.plan.version if found.plan else 1


def _plan_url(case_id: int, domain: str = "") -> str:
    url = reverse("careplans:detail", args=[case_id])
    return f"{url}#domain-{domain}" if domain else url


def _domain_of(code: str) -> str:
    if code not in LifeDomain.values:
        raise Http404
    return code


def _detail(
    request: HttpRequest, user: User, found: PlanOfCase, *, conflict: str = ""
) -> HttpResponse:
    domains = plan_domains(found.plan)
    context = {
        "case": found.case,
        "plan": found.plan,
        "person": CasePerson.objects.filter(case=found.case).first(),
        "domains": domains,
        "summary": plan_summary(found.plan, domains),
        "editable": may_change(user, found.case) and found.case.is_open,
        "version": _version(found),
        "conflict": conflict,
    }
    return render(request, "careplans/detail.html", context)


@permission_required("careplans.view_careplans")
def plan_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user_of(request)
    return _detail(request, user, careplan_get_for(user, case_id))


def _closed(request: HttpRequest, found: PlanOfCase) -> HttpResponse | None:
    if found.case.is_open:
        return None
    messages.error(request, _("The case is closed: reopen it to change its plan."))
    return redirect(_plan_url(found.case.pk))


@permission_required("careplans.view_careplans")
def domain_edit(request: HttpRequest, case_id: int, domain: str) -> HttpResponse:
    user = staff_user_of(request)
    domain = _domain_of(domain)
    found = careplan_get_for(user, case_id, need="edit")
    if (refused := _closed(request, found)) is not None:
        return refused
    row = _row(found, domain)
    form = DomainForm(request.POST or None, initial=_domain_initial(found, row))
    conflict = ""
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        data = DomainInput(
            situation=values["situation"], goals=values["goals"], review_date=values["review_date"]
        )
        try:
            services.domain_update(
                by=user, case=found.case, domain=domain, version=values["version"], data=data
            )
        except CarePlanChangedError as error:
            conflict = str(error.message)
            found = careplan_get_for(user, case_id, need="edit")
            row = _row(found, domain)
            form = DomainForm(_kept(request, found))
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Care plan saved."))
            return redirect(_plan_url(case_id, domain))
    context = {
        "case": found.case,
        "domain": LifeDomain(domain),
        "form": form,
        "conflict": conflict,
        "current": row,
    }
    return render(request, "careplans/domain_edit.html", context)


def _row(found: PlanOfCase, domain: str) -> CarePlanDomain | None:
    if found.plan is None:
        return None
    return found.plan.domains.filter(domain=domain).first()


def _domain_initial(found: PlanOfCase, row: CarePlanDomain | None) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": _version(found)}
    if row is not None:
        initial |= {"situation": row.situation, "goals": row.goals, "review_date": row.review_date}
    return initial


def _kept(request: HttpRequest, found: PlanOfCase) -> Any:
    """The person's input, now answering the plan's current version."""
    kept = request.POST.copy()
    kept["version"] = str(_version(found))
    return kept


def _action_input(values: dict[str, Any], status: str) -> ActionInput:
    return ActionInput(
        domain=values["domain"],
        description=values["description"],
        owner_organisation=values["owner_organisation"],
        owner=values["owner"],
        due=values["due"],
        status=status,
    )


@permission_required("careplans.view_careplans")
def action_add(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user_of(request)
    found = careplan_get_for(user, case_id, need="edit")
    if (refused := _closed(request, found)) is not None:
        return refused
    domain = request.GET.get("domein", "")
    initial = {
        "version": _version(found),
        "domain": domain if domain in LifeDomain.values else "",
        "owner_organisation": found.case.owner_organisation_id,
    }
    form = ActionForm(request.POST or None, case=found.case, with_status=False, initial=initial)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            action = services.action_add(
                by=user,
                case=found.case,
                version=values["version"],
                data=_action_input(values, "open"),
            )
        except CarePlanChangedError as error:
            conflict = str(error.message)
            found = careplan_get_for(user, case_id, need="edit")
            form = ActionForm(_kept(request, found), case=found.case, with_status=False)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Action added."))
            return redirect(_plan_url(case_id, action.domain))
    context = {"case": found.case, "form": form, "conflict": conflict, "action": None}
    return render(request, "careplans/action_edit.html", context)


@permission_required("careplans.view_careplans")
def action_edit(request: HttpRequest, case_id: int, action_id: int) -> HttpResponse:
    user = staff_user_of(request)
    found, action = action_get_for(user, case_id, action_id, need="edit")
    if (refused := _closed(request, found)) is not None:
        return refused
    form = ActionForm(
        request.POST or None,
        case=found.case,
        with_status=True,
        initial=_action_initial(found, action),
    )
    conflict = ""
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            services.action_update(
                by=user,
                case=found.case,
                action=action,
                version=values["version"],
                data=_action_input(values, values["status"]),
            )
        except CarePlanChangedError as error:
            conflict = str(error.message)
            found, action = action_get_for(user, case_id, action_id, need="edit")
            form = ActionForm(_kept(request, found), case=found.case, with_status=True)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Action saved."))
            return redirect(_plan_url(case_id, values["domain"]))
    number = action_numbers(found.plan).get(action.pk, 0)
    context = {
        "case": found.case,
        "form": form,
        "conflict": conflict,
        "action": action,
        "number": number,
    }
    return render(request, "careplans/action_edit.html", context)


def _action_initial(found: PlanOfCase, action: CarePlanAction) -> dict[str, Any]:
    return {
        "version": _version(found),
        "domain": action.domain,
        "description": action.description,
        "owner_organisation": action.owner_organisation_id,
        "owner": action.owner_id,
        "due": action.due,
        "status": action.status,
    }


@require_POST
@permission_required("careplans.view_careplans")
def action_status(request: HttpRequest, case_id: int, action_id: int) -> HttpResponse:
    """The plan page's buttons: an action done, cancelled, or open again."""
    user = staff_user_of(request)
    found, action = action_get_for(user, case_id, action_id, need="edit")
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        return _detail(request, user, found, conflict=_form_problem(form))
    try:
        services.action_status_set(
            by=user,
            case=found.case,
            action=action,
            version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
        )
    except CarePlanChangedError as error:
        return _detail(request, user, careplan_get_for(user, case_id), conflict=str(error.message))
    except ValidationError as error:
        texts = [text for texts in error.message_dict.values() for text in texts]
        return _detail(request, user, found, conflict=" ".join(texts))
    messages.success(request, _("Action saved."))
    return redirect(_plan_url(case_id, action.domain))


def _form_problem(form: Form) -> str:
    return " ".join(str(text) for texts in form.errors.values() for text in texts)


@permission_required("careplans.view_careplans")
def plan_history(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user_of(request)
    found = careplan_get_for(user, case_id)
    versions = []
    if found.plan is not None:
        numbers = action_numbers(found.plan)
        for version in found.plan.versions.select_related("by").order_by("-number"):
            versions.append({"version": version, "texts": version_texts(version, numbers)})
    context = {"case": found.case, "plan": found.plan, "versions": versions}
    return render(request, "careplans/history.html", context)


@permission_required("careplans.view_careplans")
def plan_print(request: HttpRequest, case_id: int) -> HttpResponse:
    """The plan on A4 for the person's own file and the case table: no menu, no forms."""
    user = staff_user_of(request)
    found = careplan_get_for(user, case_id)
    domains = plan_domains(found.plan)
    context = {
        "case": found.case,
        "plan": found.plan,
        "person": CasePerson.objects.filter(case=found.case).first(),
        "domains": domains,
        "summary": plan_summary(found.plan, domains),
    }
    return render(request, "careplans/print.html", context)
