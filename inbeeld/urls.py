from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny, IsAuthenticated

from inbeeld.lib.metrics import metrics_view
from inbeeld.web.views import favicon, healthz, readyz

# Unknown URLs under /api/ answer JSON, as the API's own 404s do.
handler404 = "inbeeld.lib.api.not_found"

# API docs are open in embedded mode and for signed-in staff only in production (ASVS 13.4.5).
_docs_permission = AllowAny if settings.API_DOCS_PUBLIC else IsAuthenticated

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", include(("inbeeld.api_urls", "v1"), namespace="v1")),
    path(
        "api/schema/",
        SpectacularAPIView.as_view(permission_classes=[_docs_permission]),
        name="schema",
    ),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema",
            permission_classes=[_docs_permission],
            template_name="web/swagger_ui.html",  # no inline style (CSP)
        ),
        name="api-docs",
    ),
    # Browsers ask for /favicon.ico on every page (and for pages that are not HTML).
    path(
        "favicon.ico",
        login_not_required(favicon),
        name="favicon",
    ),
    path("", include("inbeeld.accounts.urls")),
    path("", include("inbeeld.signals.urls")),
    path("", include("inbeeld.cases.urls")),
    path("", include("inbeeld.referrals.urls")),
    path("", include("inbeeld.careplans.urls")),
    path("", include("inbeeld.residence.urls")),
    path("", include("inbeeld.registration.urls")),
    path("", include("inbeeld.integrations.urls")),
    path("", include("inbeeld.imports.urls")),
    path("", include("inbeeld.casetable.urls")),
    path("", include("inbeeld.shelter.urls")),
    path("", include("inbeeld.placements.urls")),
    path("", include("inbeeld.network.urls")),
    path("", include("inbeeld.insight.urls")),
    path("", include("inbeeld.tasks.urls")),
    path("", include("inbeeld.audit.urls")),
    path("", include("inbeeld.privacy.urls")),
    path("", include("inbeeld.web.urls")),
]
