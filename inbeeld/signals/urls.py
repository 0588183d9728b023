from __future__ import annotations

from django.urls import path

from inbeeld.signals import public_views, views

app_name = "signals"

urlpatterns = [
    path("meldpunt/", public_views.meldpunt, name="meldpunt"),
    path("meldpunt/status/", public_views.status, name="public_status"),
    path("signalen/", views.queue, name="queue"),
    path("signalen/<int:signal_id>/", views.detail, name="detail"),
]
