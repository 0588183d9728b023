"""Pages every staff role shares: the overview and the region pages; plus the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from inbeeld.accounts.access import region_get_for, regions_where, staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.lib.home_blocks import home_blocks
from inbeeld.web import health


@permission_required("accounts.use_staff_pages")
def home(request: HttpRequest) -> HttpResponse:
    user = staff_user_of(request)
    memberships = user.memberships.select_related("organisation__region").order_by(
        "organisation__region__name", "organisation__name"
    )
    # Each block the user's rules allow, with what it shows (made, and audited, by its app).
    blocks = [
        {"name": block.name, "template": block.template, "data": block.context(user)}
        for block in home_blocks()
        if user.has_perm(block.permission)
    ]
    return render(request, "web/home.html", {"memberships": memberships, "blocks": blocks})


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
    """Liveness: the process answers. Asks nothing else, so it stays instant under load."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers and the background worker runs (503 otherwise)."""
    database = health.database_answers()
    worker = database and health.worker_runs()
    body = {
        "status": "ok" if database and worker else "unavailable",
        "database": "ok" if database else "down",
        "worker": "ok" if worker else "not running",
    }
    return JsonResponse(body, status=200 if database and worker else 503)


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask /favicon.ico on every page. The static file's (hashed) address is looked
    up when asked, not when the URLs load: in production it exists only once collected."""
    return HttpResponsePermanentRedirect(static("inbeeld/favicon.ico"))
