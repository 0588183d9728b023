from __future__ import annotations

from django.urls import path

from inbeeld.casetable import views

app_name = "casetable"

MEETING = "overlegtafel/vergaderingen/<int:meeting_id>/"
ITEM = MEETING + "punten/<int:item_id>/"

urlpatterns = [
    path("overlegtafel/", views.index, name="index"),
    path("overlegtafel/statistieken/", views.statistics, name="statistics"),
    path("overlegtafel/vergaderingen/nieuw/", views.meeting_plan, name="plan"),
    path(MEETING, views.meeting_detail, name="meeting"),
    path(MEETING + "uitnodigen/", views.invite, name="invite"),
    path(MEETING + "aanwezig/", views.attendance, name="attendance"),
    path(MEETING + "gasten/", views.guest_add, name="guest_add"),
    path(MEETING + "agenda/", views.agenda_build, name="agenda_build"),
    path(MEETING + "dossiers/", views.case_add, name="case_add"),
    path(ITEM + "notities/", views.item_notes, name="item_notes"),
    path(ITEM + "besluit/", views.item_decision, name="item_decision"),
    path(ITEM + "acties/", views.item_action, name="item_action"),
    path(MEETING + "notulen/", views.minutes, name="minutes"),
    path(MEETING + "notulen/verzenden/", views.minutes_send, name="minutes_send"),
]
