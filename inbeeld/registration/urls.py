from __future__ import annotations

from django.urls import path

from inbeeld.registration import views

app_name = "registration"

urlpatterns = [
    path("dossiers/<int:case_id>/comensha/", views.edit, name="edit"),
    path("comensha/<int:registration_id>/", views.detail, name="detail"),
    path("comensha/<int:registration_id>/bestand/", views.download, name="download"),
    path("comensha/<int:registration_id>/versturen/", views.send, name="send"),
    path("comensha/<int:registration_id>/ontvangen/", views.acknowledge, name="acknowledge"),
    path("comensha/uitvoer/<str:region_code>/<int:year>/", views.export, name="export"),
]
