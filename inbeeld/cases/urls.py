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
]
