from __future__ import annotations

from django.urls import path

from inbeeld.network import newsletter_views, public, views

app_name = "network"

urlpatterns = [
    # Public, without login.
    path("agenda/", public.agenda, name="public_agenda"),
    path("agenda/<str:code>.ics", public.calendar_feed, name="calendar_feed"),
    path("kennis/", public.knowledge, name="knowledge"),
    path("kennis/signaalkaarten/", public.signal_cards_print, name="signal_cards"),
    path("nieuwsbrief/", newsletter_views.subscribe, name="newsletter_subscribe"),
    path(
        "nieuwsbrief/bevestigen/<str:token>/",
        newsletter_views.confirm,
        name="newsletter_confirm",
    ),
    path(
        "nieuwsbrief/afmelden/<str:token>/",
        newsletter_views.unsubscribe,
        name="newsletter_unsubscribe",
    ),
    path("nieuwsbrief/<str:code>/", newsletter_views.archive, name="newsletter_archive"),
    path(
        "nieuwsbrief/<str:code>/<int:issue_id>/",
        newsletter_views.archive_issue,
        name="newsletter_archive_issue",
    ),
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
    path("netwerk/nieuwsbrief/", newsletter_views.newsletter_index, name="newsletter"),
    path("netwerk/nieuwsbrief/nieuw/", newsletter_views.issue_create, name="newsletter_create"),
    path(
        "netwerk/nieuwsbrief/<int:issue_id>/",
        newsletter_views.issue_page,
        name="newsletter_issue",
    ),
    path(
        "netwerk/nieuwsbrief/<int:issue_id>/verzenden/",
        newsletter_views.issue_send,
        name="newsletter_send",
    ),
    path("netwerk/bereik/", views.reach_index, name="reach_index"),
    path("netwerk/bereik/<str:code>/", views.reach_page, name="reach"),
]
