from __future__ import annotations

from django.urls import path

from inbeeld.residence import views

app_name = "residence"

urlpatterns = [
    path("dossiers/<int:case_id>/verblijf/", views.record, name="record"),
]
