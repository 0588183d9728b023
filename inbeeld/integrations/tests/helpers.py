"""Tokens and webhooks of a world's partner organisation, made through the services."""

from __future__ import annotations

from inbeeld.accounts.models import Organisation, Role
from inbeeld.integrations.models import WebhookEndpoint
from inbeeld.integrations.tokens import IssuedOrganisationToken, organisation_token_issue
from inbeeld.integrations.webhooks import webhook_endpoint_create
from inbeeld.testing.world import Letter, World


def org_token(
    world: World, letter: Letter = "A", scopes: tuple[str, ...] = ("signals:read",)
) -> IssuedOrganisationToken:
    """A token of region ``letter``'s partner (police), whose chain partner reported the
    world's signal, issued by that region's beheerder."""
    world.reporter(letter)  # a member with the role the scopes need
    return organisation_token_issue(
        by=world.user(Role.BEHEERDER, letter),
        organisation=world.partner(letter),
        name=f"Systeem {letter}",
        scopes=list(scopes),
    )


def webhook(
    world: World,
    letter: Letter = "A",
    url: str = "https://example.org/inbeeld",
    organisation: Organisation | None = None,
) -> tuple[str, WebhookEndpoint]:
    """An endpoint of ``organisation`` (default: region ``letter``'s partner) for every
    event, subscribed by that region's beheerder; (secret, endpoint)."""
    subscribed = webhook_endpoint_create(
        by=world.user(Role.BEHEERDER, letter),
        organisation=organisation or world.partner(letter),
        url=url,
        events=[
            "referral.requested",
            "referral.revoked",
            "tip.received",
            "casetable_action.assigned",
        ],
    )
    return subscribed.secret, subscribed.endpoint
