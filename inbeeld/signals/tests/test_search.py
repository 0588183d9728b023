"""Searching signals: code, municipality, name, phone, free text; never wider than the queue."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.regions.models import Municipality
from inbeeld.signals import search
from inbeeld.signals.models import Signal
from inbeeld.signals.services import SignalInput, signal_create_partner
from inbeeld.signals.tests.test_queue import reported
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import MUNICIPALITY_CODES, World

pytestmark = pytest.mark.django_db


def found(client: Any, term: str, **query: str) -> list[str]:
    response = client.get(reverse("signals:search"), {"q": term, **query})
    assert response.status_code == 200
    return [signal.receipt_code for signal, _labels in response.context["rows"]]


def personal_signal(world: World, letter: str = "A") -> Signal:
    signal, _new = signal_create_partner(
        data=SignalInput(
            municipality=Municipality.objects.get(code=MUNICIPALITY_CODES[letter]),
            description="Werkt nachten in de kwekerij aan de dijk.",
            victim_name="Jan de Jong",
            phone_numbers="06 12345678",
        ),
        by=world.reporter(letter),
        organisation=world.partner(letter),
    )
    return signal


def test_found_by_code_municipality_name_phone_and_words(world: World) -> None:
    signal = personal_signal(world)
    other = reported(world)
    client = verified_client(world.user(Role.ZORGCOORDINATOR))
    assert found(client, signal.receipt_code.lower()) == [signal.receipt_code]
    assert found(client, "  JAN DE  jong ") == [signal.receipt_code]
    assert found(client, "+31 6 1234 5678") == [signal.receipt_code]
    assert found(client, "KWEKERIJ") == [signal.receipt_code]
    assert sorted(found(client, "Goes")) == sorted([signal.receipt_code, other.receipt_code])
    assert found(client, "Jan de Vries") == []
    page = client.get(reverse("signals:search"), {"q": "kwekerij"}).content.decode()
    assert "omschrijving" in page  # why it was found, in Dutch


def test_a_search_is_an_audited_read_without_the_term(world: World) -> None:
    signal = personal_signal(world)
    coordinator = world.user(Role.ZORGCOORDINATOR)
    found(verified_client(coordinator), "Jan de Jong")
    entry = AuditEntry.objects.get(action=Action.READ, purpose="search of signals")
    assert entry.actor == coordinator.username
    assert entry.detail["records"] == [str(signal.pk)]
    assert entry.detail["term_digest"] == search.search_term_digest("jan de jong")
    assert "Jan" not in json.dumps(list(AuditEntry.objects.values("detail")))


def test_words_are_looked_for_in_a_bounded_number_of_recent_signals(
    world: World, monkeypatch: Any
) -> None:
    old = personal_signal(world)
    reported(world)  # newer
    monkeypatch.setattr(search, "TEXT_CANDIDATES", 1)
    client = verified_client(world.user(Role.ZORGCOORDINATOR))
    assert found(client, "kwekerij") == []
    page = client.get(reverse("signals:search"), {"q": "kwekerij"}).content.decode()
    assert 'data-testid="text-limited"' in page
    # Names and numbers are compared by their hashes: not bounded.
    assert found(client, "Jan de Jong") == [old.receipt_code]


@pytest.mark.parametrize("role", [Role.KETENPARTNER, Role.AANDACHTSFUNCTIONARIS])
def test_people_who_may_not_see_the_signal_do_not_find_it(world: World, role: str) -> None:
    signal = personal_signal(world)
    client = verified_client(world.user(role))
    for term in (signal.receipt_code, "Jan de Jong", "0612345678", "kwekerij", "Goes"):
        assert found(client, term) == []
    assert AuditEntry.objects.filter(purpose="search of signals").count() == 0
    # The reporting organisation does find its own signal.
    assert found(verified_client(world.reporter("A")), "kwekerij") == [signal.receipt_code]


def test_two_regions_never_find_the_other_regions_signals(world: World) -> None:
    in_b = personal_signal(world, "B")
    in_a = personal_signal(world, "A")
    client = verified_client(world.two_regions)
    for term in ("Jan de Jong", "0612345678", "kwekerij"):
        assert found(client, term) == [in_a.receipt_code]
    assert found(client, in_b.receipt_code) == []
    assert found(client, "Zwolle") == []
    b_place = Municipality.objects.get(code=MUNICIPALITY_CODES["B"])
    assert found(client, "kwekerij", municipality=str(b_place.pk)) == []


def test_the_menu_offers_search_to_those_who_handle_signals(world: World) -> None:
    url = reverse("signals:search")
    assert url in verified_client(world.user(Role.ZORGCOORDINATOR)).get("/").content.decode()
    assert verified_client(world.user(Role.FG)).get(url).status_code == 404
