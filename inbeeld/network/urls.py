from __future__ import annotations

from django.urls import path

from inbeeld.network import public, views

app_name = "network"

urlpatterns = [
    # Public, without login.
    path("agenda/", public.agenda, name="public_agenda"),
    path("agenda/<str:code>.ics", public.calendar_feed, name="calendar_feed"),
    path("kennis/", public.knowledge, name="knowledge"),
    path("kennis/signaalkaarten/", public.signal_cards_print, name="signal_cards"),
    # The partners' agenda and the keepers' pages.
    path("netwerk/agenda/", views.agenda, name="agenda"),
    path("netwerk/activiteiten/nieuw/", views.activity_create, name="activity_create"),
    path("netwerk/activiteiten/<int:activity_id>/", views.activity_page, name="activity"),
    path(
        "netwerk/activiteiten/<int:activity_id>/bewerken/",
        views.activity_edit,
        name="activity_edit",
    ),
    path(
        "netwerk/activiteiten/<int:activity_id>/deelnemers/nieuw/",
        views.participant_add,
        name="participant_add",
    ),
    path(
        "netwerk/activiteiten/<int:activity_id>/deelnemers/<int:participant_id>/verwijderen/",
        views.participant_remove,
        name="participant_remove",
    ),
    path(
        "netwerk/activiteiten/<int:activity_id>/deelnemers/<int:participant_id>/certificaat/",
        views.certificate,
        name="certificate",
    ),
    path(
        "netwerk/activiteiten/<int:activity_id>/aanwezigheid/",
        views.attendance,
        name="attendance",
    ),
    path("netwerk/bereik/", views.reach_index, name="reach_index"),
    path("netwerk/bereik/<str:code>/", views.reach_page, name="reach"),
]
