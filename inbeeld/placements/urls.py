from __future__ import annotations

from django.urls import path

from inbeeld.placements import views

app_name = "placements"

urlpatterns = [
    path("dossiers/<int:case_id>/opvang/aanvragen/", views.request_create, name="request_create"),
    path(
        "dossiers/<int:case_id>/opvang/<int:request_id>/intrekken/",
        views.request_withdraw,
        name="request_withdraw",
    ),
    path(
        "dossiers/<int:case_id>/opvang/<int:request_id>/andere-regio/",
        views.region_ask,
        name="region_ask",
    ),
    path("opvangaanvragen/", views.offers, name="offers"),
    path("opvangaanvragen/<int:offer_id>/", views.offer_detail, name="offer_detail"),
    path("opvangaanvragen/<int:offer_id>/accepteren/", views.offer_accept, name="offer_accept"),
    path("opvangaanvragen/<int:offer_id>/weigeren/", views.offer_refuse, name="offer_refuse"),
    path("plaatsingen/", views.placements, name="placements"),
    path("plaatsingen/opname/", views.intake, name="intake"),
    path("plaatsingen/<int:placement_id>/", views.placement_detail, name="placement_detail"),
    path(
        "plaatsingen/<int:placement_id>/uitstroom/",
        views.placement_outflow,
        name="placement_outflow",
    ),
    path(
        "plaatsingen/<int:placement_id>/overplaatsen/",
        views.placement_transfer,
        name="placement_transfer",
    ),
    path("wachtlijst-opvang/", views.waiting, name="waiting"),
    path("wachtlijst-opvang/verzoeken/<int:ask_id>/", views.ask_answer, name="ask_answer"),
    path("opvangstroom/", views.flow, name="flow"),
]
