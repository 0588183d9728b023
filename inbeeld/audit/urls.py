from __future__ import annotations

from django.urls import path

from inbeeld.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.search, name="search"),
    path("audit/export/", views.export, name="export"),
]
