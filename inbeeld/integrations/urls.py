from __future__ import annotations

from django.urls import path

from inbeeld.integrations import views

app_name = "integrations"

urlpatterns = [
    path(
        "beheer/organisaties/<int:organisation_id>/koppelingen/",
        views.organisation_page,
        name="organisation",
    ),
    path(
        "beheer/organisaties/<int:organisation_id>/koppelingen/tokens/nieuw/",
        views.token_create,
        name="token_create",
    ),
    path(
        "beheer/organisaties/<int:organisation_id>/koppelingen/tokens/<int:token_id>/intrekken/",
        views.token_revoke,
        name="token_revoke",
    ),
    path(
        "beheer/organisaties/<int:organisation_id>/koppelingen/webhooks/nieuw/",
        views.webhook_create,
        name="webhook_create",
    ),
    path(
        "beheer/organisaties/<int:organisation_id>/koppelingen/webhooks/<int:endpoint_id>/verwijderen/",
        views.webhook_remove,
        name="webhook_remove",
    ),
]
