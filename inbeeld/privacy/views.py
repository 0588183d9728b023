"""The FG's retention page: the periods in force for their regions and what was removed."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inbeeld.accounts.access import regions_where, staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.models import Role
from inbeeld.privacy.forms import RetentionPeriodForm
from inbeeld.privacy.models import RetentionRun
from inbeeld.privacy.retention import RULES, keep_days, periods_in_force, retention_period_set


@permission_required("privacy.manage_retention")
def retention(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    regions = regions_where(user, Role.FG)
    form = RetentionPeriodForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        retention_period_set(by=user, **form.cleaned_data)
        messages.success(request, _("Retention period saved."))
        return redirect("privacy:retention")
    periods = []
    for rule in RULES:
        in_force = periods_in_force(rule)
        periods.append((rule, [(region, keep_days(rule, region, in_force)) for region in regions]))
    context = {
        "form": form,
        "regions": regions,
        "periods": periods,
        "runs": RetentionRun.objects.all()[:30],
    }
    return render(request, "privacy/retention.html", context)
