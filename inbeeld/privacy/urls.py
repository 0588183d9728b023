from __future__ import annotations

from django.urls import path

from inbeeld.privacy import subject_views, views

app_name = "privacy"

urlpatterns = [
    path("bewaartermijnen/", views.retention, name="retention"),
    path("privacy/betrokkenen/", subject_views.search, name="subject_search"),
    path(
        "privacy/betrokkenen/inzage/<int:request_id>/",
        subject_views.export,
        name="subject_export",
    ),
    path(
        "privacy/betrokkenen/inzage/<int:request_id>/json/",
        subject_views.export_json,
        name="subject_export_json",
    ),
    path(
        "privacy/betrokkenen/signalen/<int:signal_id>/",
        subject_views.signal,
        name="subject_signal",
    ),
]
