"""The page to record a residence state, through the case's door (need="edit")."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.cases.access import case_get_for
from inbeeld.lib.forms import form_errors_add
from inbeeld.residence import services
from inbeeld.residence.access import residence_read
from inbeeld.residence.forms import StateForm
from inbeeld.residence.page import track_context


@permission_required("cases.view_cases")
def record(request: HttpRequest, case_id: int) -> HttpResponse:
    user = staff_user_of(request)
    case = case_get_for(user, case_id, need="edit")
    current = services.residence_current(case)
    form = StateForm(request.POST or None, allowed=services.next_states(current))
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        data = services.StateInput(
            status=values["status"],
            start=values["start"],
            end_reason=values["end_reason"],
            note=values["note"],
        )
        try:
            services.residence_state_record(by=user, case=case, data=data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Residence state recorded."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#residence-heading")
    context = track_context(case, editable=True)
    residence_read(user, context["states"])
    return render(request, "residence/record.html", {**context, "form": form})
