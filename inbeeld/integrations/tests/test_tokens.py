"""Organisation API tokens: made on the beheerder's page, shown once, acting for the
organisation within its scopes and the rules, audited, rate-limited, expiring, revocable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.access import users_administered_by
from inbeeld.accounts.models import Membership, Role, User
from inbeeld.audit.models import AuditEntry
from inbeeld.integrations.models import OrganisationToken
from inbeeld.integrations.tests.helpers import org_token
from inbeeld.integrations.tokens import organisation_token_issue, token_digest
from inbeeld.referrals.tests.helpers import CANARY_NAME, shelter, shelter_staff, world_referral
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Token {token}"}


def test_the_beheerder_makes_a_token_that_is_shown_once_and_stored_as_a_digest(
    world: World,
) -> None:
    world.reporter("A")
    client = verified_client(world.user(Role.BEHEERDER, "A"))
    url = reverse("integrations:token_create", args=[world.partner("A").pk])
    response = client.post(
        url, {"name": "Registratiesysteem", "scopes": ["signals:read"], "days": 30}
    )
    assert response.status_code == 200
    [record] = OrganisationToken.objects.filter(organisation=world.partner("A"))
    token = response.context["new_token"]
    assert token.startswith("ibo_") and token in response.content.decode()
    assert record.digest == token_digest(token)
    assert not OrganisationToken.objects.filter(digest=token).exists()
    assert 29 <= (record.expires_at - timezone.now()).days <= 30
    # The page afterwards names the token by its first characters only.
    page = client.get(reverse("integrations:organisation", args=[world.partner("A").pk]))
    assert token not in page.content.decode() and record.key in page.content.decode()
    # The creation is audited on the token, in its organisation's region.
    entry = AuditEntry.objects.filter(object_type="integrations.organisationtoken").get()
    assert entry.actor == "beheerder.a" and entry.region == World.region_code("A")


def test_a_scope_needs_a_role_that_a_member_of_the_organisation_holds(world: World) -> None:
    world.reporter("A")  # a chain partner: no care coordinator at the police
    with pytest.raises(ValidationError) as refused:
        organisation_token_issue(
            by=world.user(Role.BEHEERDER, "A"),
            organisation=world.partner("A"),
            name="x",
            scopes=["registrations:read"],
        )
    assert "scopes" in refused.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        organisation_token_issue(
            by=world.user(Role.BEHEERDER, "A"),
            organisation=world.partner("A"),
            name="x",
            scopes=["everything:write"],
        )
    assert "scopes" in unknown.value.message_dict


def test_another_regions_beheerder_cannot_issue_for_the_organisation(world: World) -> None:
    world.reporter("A")
    client = verified_client(world.user(Role.BEHEERDER, "B"))
    url = reverse("integrations:token_create", args=[world.partner("A").pk])
    response = client.post(url, {"name": "x", "scopes": ["signals:read"], "days": 30})
    assert response.status_code == 404
    assert not OrganisationToken.objects.exists()


def test_the_token_sees_what_a_member_with_its_role_sees_and_never_region_b(
    world: World,
) -> None:
    own, other = world.signal("A"), world.signal("B")
    issued = org_token(world, "A", scopes=("signals:read",))
    client = Client()
    listed = client.get(reverse("v1:signals"), headers=_headers(issued.token))
    assert listed.status_code == 200
    ids = {item["id"] for item in listed.json()["results"]}
    member = Client().get(
        reverse("v1:signals"),
        headers={"Authorization": f"Token {_personal(world.reporter('A'))}"},
    )
    assert ids == {item["id"] for item in member.json()["results"]}
    assert own.pk in ids and other.pk not in ids
    assert (
        client.get(
            reverse("v1:signal", args=[other.pk]), headers=_headers(issued.token)
        ).status_code
        == 404
    )
    # Region B's own token does not see region A's signal either.
    issued_b = org_token(world, "B", scopes=("signals:read",))
    assert (
        client.get(
            reverse("v1:signal", args=[own.pk]), headers=_headers(issued_b.token)
        ).status_code
        == 404
    )


def _personal(user: User) -> str:
    from inbeeld.accounts.tokens import api_token_create

    return api_token_create(user=user)


def test_an_operation_no_scope_opens_answers_404(world: World) -> None:
    issued = org_token(world, "A", scopes=("signals:read",))
    client = Client()
    created = client.post(
        reverse("v1:signals"),
        {"description": "x", "municipality": "GM0664"},
        content_type="application/json",
        headers=_headers(issued.token),
    )
    assert created.status_code == 404
    assert client.get(reverse("v1:referrals"), headers=_headers(issued.token)).status_code == 404
    assert client.get(reverse("v1:me"), headers=_headers(issued.token)).status_code == 200


def test_a_shelters_token_reads_its_referrals_without_more_than_is_shared(world: World) -> None:
    shelter_staff("A")
    referral = world_referral(world)
    issued = organisation_token_issue(
        by=world.user(Role.BEHEERDER, "A"),
        organisation=shelter("A"),
        name="Opvangsysteem",
        scopes=["referrals:read"],
    )
    response = Client().get(reverse("v1:referrals"), headers=_headers(issued.token))
    assert response.status_code == 200
    body = response.content.decode()
    assert referral.reference in body and CANARY_NAME not in body
    # Answering is another scope.
    answer = Client().patch(
        reverse("v1:referral", args=[referral.pk]),
        {"status": "accepted"},
        content_type="application/json",
        headers=_headers(issued.token),
    )
    assert answer.status_code == 404


def test_every_request_is_audited_naming_the_token(world: World) -> None:
    issued = org_token(world, "A")
    Client().get(reverse("v1:signal", args=[world.signal("A").pk]), headers=_headers(issued.token))
    actors = set(
        AuditEntry.objects.filter(actor_id=issued.record.account_id).values_list("actor", flat=True)
    )
    assert actors == {f"api-token.{issued.record.key}"}
    use = AuditEntry.objects.filter(
        actor_id=issued.record.account_id, object_type="integrations.organisationtoken"
    ).get()
    assert use.detail["api_token"] == issued.record.key
    assert use.detail["operation"] == "signal" and use.detail["method"] == "GET"


def test_expired_and_revoked_tokens_get_401(world: World) -> None:
    issued = org_token(world, "A")
    url = reverse("v1:signals")
    assert Client().get(url, headers=_headers(issued.token)).status_code == 200
    OrganisationToken.objects.filter(pk=issued.record.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert Client().get(url, headers=_headers(issued.token)).status_code == 401
    second = org_token(world, "A")
    client = verified_client(world.user(Role.BEHEERDER, "A"))
    revoke = reverse("integrations:token_revoke", args=[world.partner("A").pk, second.record.pk])
    assert client.post(revoke).status_code == 302
    assert Client().get(url, headers=_headers(second.token)).status_code == 401
    assert not Membership.objects.filter(user_id=second.record.account_id).exists()
    assert Client().get(url, headers=_headers("ibo_" + "0" * 48)).status_code == 401


def test_beyond_the_limit_429_with_retry_after(world: World, settings: object) -> None:
    settings.ORG_TOKEN_RATE_LIMIT = 2  # type: ignore[attr-defined]
    issued = org_token(world, "A")
    url = reverse("v1:signals")
    statuses = [Client().get(url, headers=_headers(issued.token)).status_code for _ in range(2)]
    assert statuses == [200, 200]
    refused = Client().get(url, headers=_headers(issued.token))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another token of the same organisation has its own count.
    other = org_token(world, "A")
    assert Client().get(url, headers=_headers(other.token)).status_code == 200


def test_the_tokens_account_cannot_log_in_nor_be_managed_as_a_person(world: World) -> None:
    issued = org_token(world, "A")
    account = issued.record.account
    assert not account.is_active and not account.has_usable_password()
    beheerder = world.user(Role.BEHEERDER, "A")
    assert account not in users_administered_by(beheerder)
    assert not beheerder.has_perm("accounts.manage_user", account)
    page = verified_client(beheerder).get(reverse("accounts:user_edit", args=[account.pk]))
    assert page.status_code == 404


def test_a_token_with_signals_create_submits_for_its_organisation(world: World) -> None:
    issued = org_token(world, "A", scopes=("signals:create", "signals:read"))
    response = Client().post(
        reverse("v1:signals"),
        {"description": "Werknemers slapen in de loods.", "municipality": "GM0664"},
        content_type="application/json",
        headers=_headers(issued.token),
    )
    assert response.status_code == 201, response.content
    from inbeeld.signals.models import Signal

    signal = Signal.objects.get(pk=response.json()["id"])
    assert signal.created_by_id == issued.record.account_id
    assert signal.region.code == World.region_code("A")


def test_the_organisations_own_staff_and_anonymous_do_not_get_the_page(world: World) -> None:
    url = reverse("integrations:organisation", args=[world.partner("A").pk])
    assert verified_client(world.reporter("A")).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    # A personal token does not reach the page either (pages are for sessions).
    assert Client().get(url, headers=_headers(_personal(world.reporter("A")))).status_code == 302
