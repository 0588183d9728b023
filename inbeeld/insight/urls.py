from __future__ import annotations

from django.urls import path

from inbeeld.insight import dashboard_views, operations_views, report_views, views

app_name = "insight"

urlpatterns = [
    path("omvang/", views.overview, name="overview"),
    path("omvang/lijst-uploaden/", views.upload, name="upload"),
    path("omvang/koppelen/", views.run_create, name="run_create"),
    path("omvang/koppelingen/<int:run_id>/", views.run_detail, name="run_detail"),
    path("omvang/koppelingen/<int:run_id>/stand/", views.run_state, name="run_state"),
    path("inzicht/", dashboard_views.dashboard, name="dashboard"),
    path("inzicht/werk/", operations_views.operations, name="operations"),
    path("inzicht/raadsrapportage/", report_views.council_report, name="council_report"),
    path(
        "inzicht/csv/<slug:source>/<slug:dimension>/",
        dashboard_views.dashboard_csv,
        name="dashboard_csv",
    ),
]
