from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from inbeeld.accounts import administration, network_views, views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", login_not_required(views.LoginView.as_view()), name="login"),
    path("inloggen/code/", views.verify, name="verify"),
    path("inloggen/instellen/", views.enrol, name="enrol"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("account/", views.account, name="account"),
    path("account/herstelcodes/", views.recovery_codes, name="recovery_codes"),
    path("account/herstelcodes/nieuw/", views.recovery_codes_renew, name="recovery_codes_renew"),
]

urlpatterns += [
    path("beheer/regio/<str:code>/", administration.region_edit, name="region_edit"),
    path("beheer/organisaties/", administration.organisation_list, name="organisations"),
    path(
        "beheer/organisaties/nieuw/", administration.organisation_edit, name="organisation_create"
    ),
    path(
        "beheer/organisaties/<int:organisation_id>/",
        administration.organisation_edit,
        name="organisation_edit",
    ),
    path("beheer/gebruikers/", administration.user_list, name="users"),
    path("beheer/gebruikers/nieuw/", administration.user_create, name="user_create"),
    path("beheer/gebruikers/<int:user_id>/", administration.user_edit, name="user_edit"),
    path(
        "beheer/gebruikers/<int:user_id>/rollen/",
        administration.user_membership_add,
        name="user_membership_add",
    ),
    path(
        "beheer/gebruikers/<int:user_id>/rollen/<int:membership_id>/verwijderen/",
        administration.user_membership_remove,
        name="user_membership_remove",
    ),
    path(
        "beheer/gebruikers/<int:user_id>/tokens/<str:token_key>/intrekken/",
        administration.user_token_revoke,
        name="user_token_revoke",
    ),
    path(
        "beheer/gebruikers/<int:user_id>/<slug:action>/",
        administration.user_action,
        name="user_action",
    ),
]

# The regional network: directory, contact persons, coverage and the covenant.
urlpatterns += [
    path("netwerk/", network_views.directory_page, name="directory"),
    path(
        "netwerk/organisaties/<int:organisation_id>/",
        network_views.organisation_page,
        name="network_organisation",
    ),
    path("netwerk/contactpersonen/nieuw/", network_views.contact_create, name="contact_create"),
    path(
        "netwerk/contactpersonen/<int:contact_id>/",
        network_views.contact_edit,
        name="contact_edit",
    ),
    path(
        "netwerk/contactpersonen/<int:contact_id>/verwijderen/",
        network_views.contact_delete,
        name="contact_delete",
    ),
    path(
        "netwerk/regio/<str:code>/organisatie/nieuw/",
        network_views.organisation_add,
        name="network_organisation_add",
    ),
    path("netwerk/regio/<str:code>/dekking/", network_views.coverage_page, name="coverage"),
    path("netwerk/regio/<str:code>/convenant/", network_views.covenant_page, name="covenant"),
    path(
        "netwerk/regio/<str:code>/convenant/nieuw/",
        network_views.covenant_create,
        name="covenant_create",
    ),
    path(
        "netwerk/convenant/<int:covenant_id>/document/",
        network_views.covenant_document,
        name="covenant_document",
    ),
    path(
        "netwerk/convenant/<int:covenant_id>/ondertekening/",
        network_views.covenant_sign,
        name="covenant_sign",
    ),
    path(
        "netwerk/ondertekeningen/<int:signature_id>/intrekking/",
        network_views.signature_withdraw,
        name="signature_withdraw",
    ),
]
