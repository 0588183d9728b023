"""Pages every staff role shares: the overview and the region pages; plus the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from inbeeld.accounts.access import region_get_for, regions_where, staff_user_of
from inbeeld.accounts.decorators import permission_required


@permission_required("accounts.use_staff_pages")
def home(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    memberships = user.memberships.select_related("organisation__region").order_by(
        "organisation__region__name", "organisation__name"
    )
    return render(request, "web/home.html", {"memberships": memberships})


@permission_required("accounts.use_staff_pages")
def regions(request: HttpRequest) -> HttpResponse:
    user_regions = regions_where(staff_user_of(request)).annotate(
        population=Sum("municipalities__population")
    )
    return render(request, "web/regions.html", {"regions": user_regions})


@permission_required("accounts.use_staff_pages")
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = staff_user_of(request)
    region = region_get_for(user=user, code=code)
    municipalities = region.municipalities.order_by("name")
    population = sum(m.population for m in municipalities)
    context = {
        "region": region,
        "municipalities": municipalities,
        "population": population,
        "may_edit": user.has_perm("accounts.manage_region", region),
    }
    return render(request, "web/region_detail.html", context)


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers a query, 503 when it does not. Reveals nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
