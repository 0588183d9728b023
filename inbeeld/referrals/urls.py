from __future__ import annotations

from django.urls import path

from inbeeld.referrals import views

app_name = "referrals"

urlpatterns = [
    path("dossiers/<int:case_id>/verwijzen/", views.referral_create, name="create"),
    path(
        "dossiers/<int:case_id>/verwijzingen/<int:referral_id>/intrekken/",
        views.referral_revoke,
        name="revoke",
    ),
    path("dossiers/<int:case_id>/diensten/nieuw/", views.service_create, name="service_create"),
    path("verwijzingen/", views.incoming, name="incoming"),
    path("verwijzingen/<int:referral_id>/", views.detail, name="detail"),
    path("verwijzingen/<int:referral_id>/accepteren/", views.accept, name="accept"),
    path("verwijzingen/<int:referral_id>/afwijzen/", views.reject, name="reject"),
    path("verwijzingen/<int:referral_id>/afronden/", views.complete, name="complete"),
    path("verwijzingen/<int:referral_id>/fase/", views.phase_record, name="phase"),
]
