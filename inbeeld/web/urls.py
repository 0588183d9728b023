from __future__ import annotations

from django.urls import path

from inbeeld.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("regio/", views.regions, name="regions"),
    path("regio/<str:code>/", views.region_detail, name="region_detail"),
]
