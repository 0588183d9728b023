"""The queue's pages without a count of the whole region: the urgency order read per
coordinated region along its index and merged with the rest (access.signals_visible_parts),
page after page in the same order as the whole visible set sorted; the number of signals
up to a cap, "more than" beyond it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from inbeeld.accounts.models import Role, User
from inbeeld.signals import access
from inbeeld.signals import queue as signal_queue
from inbeeld.signals.models import Signal
from inbeeld.signals.queue import QueueFilter, queue_page, queue_signals
from inbeeld.signals.tests.test_queue import reported
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def _spread(world: World) -> None:
    """Signals in both regions with risk scores and acute flags that interleave, some
    assigned across the border (one without a source organisation), one restricted, one
    merged into another."""
    for index in range(7):
        for letter in ("A", "B"):
            signal = reported(world, letter, acute=index % 3 == 0)
            Signal.objects.filter(pk=signal.pk).update(risk_score=(index * 7) % 5)
    b_signals = list(Signal.objects.filter(region__code=world.region_code("B")))
    b_signals[0].assigned_to.add(world.two_regions)
    b_signals[1].assigned_to.add(world.user(Role.ZORGCOORDINATOR, "A"))
    Signal.objects.filter(pk=b_signals[2].pk).update(restricted=True)
    # One from the public meldpunt (no source organisation), assigned across the border.
    Signal.objects.filter(pk=b_signals[3].pk).update(source_organisation=None)
    b_signals[3].assigned_to.add(world.two_regions)
    a_signals = list(Signal.objects.filter(region__code=world.region_code("A")))
    Signal.objects.filter(pk=a_signals[0].pk).update(merged_into=a_signals[1])


def _people(world: World) -> list[User]:
    return [
        world.user(Role.ZORGCOORDINATOR, "A"),
        world.user(Role.ZORGCOORDINATOR, "B"),
        world.two_regions,
        world.reporter("A"),
        world.user(Role.KETENPARTNER, "B"),
    ]


def test_the_parts_together_are_exactly_what_the_person_may_see(world: World) -> None:
    _spread(world)
    for person in _people(world):
        parts = [
            set(part.values_list("pk", flat=True)) for part in access.signals_visible_parts(person)
        ]
        union = set().union(*parts)
        assert union == set(access.signals_visible_to(person).values_list("pk", flat=True))
        assert sum(len(part) for part in parts) == len(union), "the parts overlap"


@pytest.mark.parametrize("sort", ["urgency", "risk", "-received", "nonsense"])
def test_paging_through_gives_the_whole_queue_in_its_order_once(
    world: World, monkeypatch: Any, sort: str
) -> None:
    _spread(world)
    monkeypatch.setattr(signal_queue, "PAGE_SIZE", 4)
    for person in _people(world):
        selection = QueueFilter(sort=sort)
        expected = list(queue_signals(person, selection).values_list("pk", flat=True))
        seen: list[int] = []
        number = 1
        while True:
            page = queue_page(person, selection, number)
            assert page.total == len(expected)
            seen.extend(page.ids)
            if not page.has_next:
                break
            number += 1
        assert seen == expected, person.username


def test_an_acute_filter_narrows_each_part(world: World, monkeypatch: Any) -> None:
    _spread(world)
    monkeypatch.setattr(signal_queue, "PAGE_SIZE", 2)
    person = world.two_regions
    selection = QueueFilter(acute=True)
    expected = list(queue_signals(person, selection).values_list("pk", flat=True))
    assert expected and Signal.objects.filter(pk__in=expected, acute=False).count() == 0
    first, second = queue_page(person, selection, 1), queue_page(person, selection, 2)
    assert first.ids + second.ids == expected[:4]


def test_a_page_past_the_end_is_the_last_page(world: World, monkeypatch: Any) -> None:
    _spread(world)
    monkeypatch.setattr(signal_queue, "PAGE_SIZE", 4)
    person = world.user(Role.ZORGCOORDINATOR, "A")
    last = queue_page(person, QueueFilter(), 999)
    assert last.number == last.pages and last.ids and not last.has_next


def test_beyond_the_cap_the_page_says_more_than_and_pages_on(
    world: World, monkeypatch: Any
) -> None:
    _spread(world)
    monkeypatch.setattr(signal_queue, "PAGE_SIZE", 2)
    monkeypatch.setattr(signal_queue, "COUNT_CAP", 3)
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    html = client.get(reverse("signals:queue"), {"page": "2"}).content.decode()
    assert "Meer dan 3 signalen" in html
    assert "Pagina 2<" in html and "Pagina 2 van" not in html
    assert "page=1" in html and "page=3" in html  # previous and next


def test_under_the_cap_the_page_counts_and_numbers_its_pages(
    world: World, monkeypatch: Any
) -> None:
    _spread(world)
    monkeypatch.setattr(signal_queue, "PAGE_SIZE", 4)
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    count = queue_signals(coordinator, QueueFilter()).count()
    html = verified_client(coordinator).get(reverse("signals:queue")).content.decode()
    assert f"{count} signalen" in html
    assert f"Pagina 1 van {-(-count // 4)}" in html


@pytest.mark.parametrize("value", ["", "0", "-3", "x", "1.5"])
def test_a_page_number_that_is_not_one_is_the_first_page(world: World, value: str) -> None:
    reported(world)
    response = verified_client(world.user(Role.ZORGCOORDINATOR, "A")).get(
        reverse("signals:queue"), {"page": value}
    )
    assert response.status_code == 200 and response.context["page"].number == 1
