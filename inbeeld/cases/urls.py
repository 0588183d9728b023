from __future__ import annotations

from django.urls import path

from inbeeld.cases import views

app_name = "cases"

urlpatterns = [
    path("dossiers/", views.case_list, name="list"),
    path("dossiers/<int:case_id>/", views.case_detail, name="detail"),
    path("dossiers/<int:case_id>/bewerken/", views.case_edit, name="edit"),
    path("dossiers/<int:case_id>/gebeurtenissen/", views.event_add, name="event_add"),
    path("dossiers/<int:case_id>/notities/", views.note_add, name="note_add"),
    path("dossiers/<int:case_id>/uitnodigen/", views.invite, name="invite"),
    path(
        "dossiers/<int:case_id>/deelname/<int:share_id>/beeindigen/",
        views.invite_end,
        name="invite_end",
    ),
    path("dossiers/<int:case_id>/sluiten/", views.close, name="close"),
    path("dossiers/<int:case_id>/heropenen/", views.reopen, name="reopen"),
    path("signalen/<int:signal_id>/dossier/", views.open_from_signal, name="open_from_signal"),
    path("signalen/<int:signal_id>/dossier/koppelen/", views.link_signal, name="link_signal"),
    path("dossiers/<int:case_id>/overdragen/", views.transfer_propose, name="transfer_propose"),
    path("dossiers/overdrachten/", views.transfers, name="transfers"),
    path("dossiers/overdrachten/<int:transfer_id>/", views.transfer_detail, name="transfer"),
    path(
        "dossiers/overdrachten/<int:transfer_id>/accepteren/",
        views.transfer_accept,
        name="transfer_accept",
    ),
    path(
        "dossiers/overdrachten/<int:transfer_id>/afwijzen/",
        views.transfer_reject,
        name="transfer_reject",
    ),
]
