"""The FG's retention page: what happens to every kind of record, and what was removed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inbeeld.accounts.access import regions_where, staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.accounts.models import Role
from inbeeld.privacy.forms import RetentionPeriodForm
from inbeeld.privacy.models import RetentionRun
from inbeeld.privacy.registry import PersonalDataKind, Text, registry
from inbeeld.privacy.retention import keep_days, periods_in_force, retention_period_set
from inbeeld.regions.models import Region


@dataclass(frozen=True)
class Row:
    """One line of the page: a rule with its period per region, or a plain statement."""

    label: Text
    periods: list[tuple[Region, int]]  # empty for a statement
    statement: Text = ""


def kind_rows(kind: PersonalDataKind[Any], regions: QuerySet[Region]) -> list[Row]:
    """What happens to the kind's records: its rules, then what no rule removes, then the
    rows that belong to a record."""
    rows = []
    for rule in kind.retention:
        in_force = periods_in_force(rule)
        rows.append(Row(rule.label, [(r, keep_days(rule, r, in_force)) for r in regions]))
    rows += [Row(kept.label or kind.label, [], kept.statement) for kept in kind.kept]
    rows += [Row(related.label, [], related.statement) for related in kind.related]
    return rows


def kinds_in_order() -> list[PersonalDataKind[Any]]:
    """The records about the people InBeeld is for (those the FG searches) first."""
    kinds = registry.kinds()
    return [k for k in kinds if k.subject] + [k for k in kinds if not k.subject]


@permission_required("privacy.manage_retention")
def retention(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    regions = regions_where(user, Role.FG)
    form = RetentionPeriodForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        retention_period_set(by=user, **form.cleaned_data)
        messages.success(request, _("Retention period saved."))
        return redirect("privacy:retention")
    context = {
        "form": form,
        "regions": regions,
        "kinds": [(kind, kind_rows(kind, regions)) for kind in kinds_in_order()],
        "runs": RetentionRun.objects.all()[:30],
    }
    return render(request, "privacy/retention.html", context)
