from __future__ import annotations

from django.urls import path

from inbeeld.shelter import views

app_name = "shelter"

urlpatterns = [
    path("opvangplekken/", views.overview, name="overview"),
    path("opvangplekken/mijn/", views.mine, name="mine"),
    path("opvangplekken/mijn/<int:place_id>/", views.place_update, name="place_update"),
    path("opvanglocaties/", views.locations, name="locations"),
    path("opvanglocaties/nieuw/", views.location_create, name="location_create"),
    path("opvanglocaties/<int:location_id>/", views.location_edit, name="location_edit"),
    path("opvanglocaties/<int:location_id>/plekken/", views.place_add, name="place_add"),
]
