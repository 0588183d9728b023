from __future__ import annotations

from django.urls import path

from inbeeld.tasks import views

app_name = "tasks"

urlpatterns = [
    path("taken/", views.mine, name="mine"),
    path("taken/<int:task_id>/status/", views.status, name="status"),
    path("taken/nieuw/<str:kind>/<int:subject_id>/", views.add, name="add"),
]
