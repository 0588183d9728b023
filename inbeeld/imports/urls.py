from __future__ import annotations

from django.urls import path

from inbeeld.imports import views

app_name = "imports"

urlpatterns = [
    path("importeren/", views.index, name="index"),
    path("importeren/signalen/", views.signals, name="signals"),
    path("importeren/signalen/sjabloon.csv", views.signals_template, name="signals_template"),
    path("importeren/registraties/", views.registrations, name="registrations"),
    path(
        "importeren/registraties/sjabloon.csv",
        views.registrations_template,
        name="registrations_template",
    ),
]
