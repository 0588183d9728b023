from __future__ import annotations

from django.urls import path

from inbeeld.careplans import views

app_name = "careplans"

urlpatterns = [
    path("dossiers/<int:case_id>/zorgplan/", views.plan_detail, name="detail"),
    path("dossiers/<int:case_id>/zorgplan/geschiedenis/", views.plan_history, name="history"),
    path("dossiers/<int:case_id>/zorgplan/afdrukken/", views.plan_print, name="print"),
    path("dossiers/<int:case_id>/zorgplan/acties/nieuw/", views.action_add, name="action_add"),
    path(
        "dossiers/<int:case_id>/zorgplan/acties/<int:action_id>/",
        views.action_edit,
        name="action_edit",
    ),
    path(
        "dossiers/<int:case_id>/zorgplan/acties/<int:action_id>/status/",
        views.action_status,
        name="action_status",
    ),
    path(
        "dossiers/<int:case_id>/zorgplan/domein/<slug:domain>/",
        views.domain_edit,
        name="domain_edit",
    ),
]
