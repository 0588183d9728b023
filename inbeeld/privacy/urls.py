from __future__ import annotations

from django.urls import path

from inbeeld.privacy import received_views, subject_views, views

app_name = "privacy"

urlpatterns = [
    path("bewaartermijnen/", views.retention, name="retention"),
    path("privacy/betrokkenen/", subject_views.search, name="subject_search"),
    path("privacy/verzoeken/", received_views.received_list, name="received_list"),
    path("privacy/verzoeken/<int:pk>/", received_views.received_detail, name="received_detail"),
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
    # One record of any kind that answers data-subject requests (registry.py): the kind by
    # its slug ("signalen"), so that a new kind needs no address of its own.
    path(
        "privacy/betrokkenen/gegevens/<slug:kind>/<int:record_id>/",
        subject_views.record,
        name="subject_record",
    ),
]
