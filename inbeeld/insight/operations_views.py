"""The operational figures (/inzicht/werk/) of a region, for its zorgcoördinator and
ketenregisseur: durations, open work, referrals accepted, caseload (insight/operations.py).
Aggregates only, so the page reads no personal data and audits nothing."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.insight import access
from inbeeld.insight.dashboard import threshold
from inbeeld.insight.forms import OperationsFilterForm
from inbeeld.insight.operations import operational_figures, operations_years


@permission_required("insight.view_operations")
def operations(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    region = access.operations_region_get(user=user, code=request.GET.get("region"))
    today = timezone.localdate()
    form = OperationsFilterForm(
        request.GET or None,
        regions=access.operations_regions(user),
        years=operations_years(region, today),
        initial={"region": region.code, "year": today.year},
    )
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else today.year
    context = {
        "form": form,
        "figures": operational_figures(region, year=year, today=today),
        "threshold": threshold(),
    }
    return render(request, "insight/operations.html", context)
