from __future__ import annotations

from django.urls import path

from inbeeld.privacy import views

app_name = "privacy"

urlpatterns = [
    path("bewaartermijnen/", views.retention, name="retention"),
]
