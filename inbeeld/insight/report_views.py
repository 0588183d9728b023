"""The council report's page (/inzicht/raadsrapportage/): choose a year and a language, and
download the PDF (insight/council_report.py) that `inbeeld report council` writes too.

For the dashboard's roles in their own regions (another region: 404). The page reads no
record; each PDF made is audited once as an export of aggregate figures.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.insight import access
from inbeeld.insight.council_report import council_report_pdf
from inbeeld.insight.release import released_figures, report_years
from inbeeld.regions.models import Region


class CouncilReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    lang = forms.ChoiceField(
        label=_("Language"), choices=[("nl", "Nederlands"), ("en", "English")], initial="nl"
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = report_years(region)
        self.fields["year"].choices = [(year, year) for year in reversed(years)]  # type: ignore[attr-defined]
        self.fields["year"].initial = years[-1]


@permission_required("insight.view_dashboard")
@never_cache
def council_report(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    region = access.dashboard_region_get(user=user, code=request.GET.get("region"))
    bound = "year" in request.GET
    form = CouncilReportForm(request.GET if bound else None, region=region)
    if not (bound and form.is_valid()):
        context = {"form": form, "region": region, "regions": access.figures_regions(user)}
        return render(request, "insight/council_report.html", context)
    year, language = form.cleaned_data["year"], form.cleaned_data["lang"]
    content = council_report_pdf(released_figures(region, year), language=language)
    audit_record(
        actor=user,
        action=Action.EXPORT,
        object_type="insight.council_report",
        object_id=f"{region.code}-{year}",
        region=region.code,
        purpose=Purpose.FIGURES_EXPORT,
        detail={"region": region.code, "year": str(year), "language": language},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="raadsrapportage-{region.code}-{year}-{language}.pdf"'
    )
    return response
