"""The case list a page at a time: every case once, newest first, for each reader."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.cases.models import Case, CaseStatus
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.models import Share, ShareKind
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import staff_user
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def _cases(world: World, count: int) -> list[Case]:
    """``count`` open cases of region A, a minute apart, the last two opened at one moment
    (the page boundary must not lose or repeat either)."""
    owner = world.user(Role.ZORGCOORDINATOR, "A")
    organisation = world.organisation("A")
    made = Case.objects.bulk_create(
        Case(region=organisation.region, reference=f"DS-TEST-{n:04d}", owner=owner,
             owner_organisation=organisation)
        for n in range(count)
    )  # fmt: skip
    start = timezone.now() - timedelta(days=1)
    for n, case in enumerate(made):
        moment = start + timedelta(minutes=min(n, count - 2))
        Case.objects.filter(pk=case.pk).update(created_at=moment)
    return made


def _shown(content: bytes) -> list[str]:
    return re.findall(r"DS-TEST-\d{4}", content.decode())


def _next_link(content: bytes) -> str | None:
    found = re.search(r'href="(\?status=[a-z]+&amp;na=[^"]+)"', content.decode())
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_list_pages_through_every_case_once_newest_first(world: World) -> None:
    made = _cases(world, 53)
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    first = client.get(reverse("cases:list"))
    assert len(_shown(first.content)) == 50
    link = _next_link(first.content)
    assert link is not None and "Eerste pagina" not in first.content.decode()
    second = client.get(reverse("cases:list") + link)
    assert second.status_code == 200
    shown = _shown(first.content) + _shown(second.content)
    newest_first = [c.reference for c in Case.objects.order_by("-created_at", "-pk")]
    assert shown == newest_first and len(set(shown)) == len(made)
    assert _next_link(second.content) is None
    assert "Eerste pagina" in second.content.decode()


def test_the_next_page_keeps_the_chosen_status(world: World) -> None:
    made = _cases(world, 52)
    Case.objects.filter(pk=made[0].pk).update(status=CaseStatus.CLOSED)
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    first = client.get(reverse("cases:list"), {"status": "all"})
    link = _next_link(first.content)
    assert link is not None and link.startswith("?status=all&")
    second = client.get(reverse("cases:list") + link)
    assert made[0].reference in _shown(second.content)  # closed, shown under "all"


def test_a_partner_pages_only_through_the_cases_they_are_invited_to(world: World) -> None:
    made = _cases(world, 55)
    partner = staff_user(role=Role.KETENPARTNER, organisation=world.partner("A"))
    invited = made[:3]
    Share.objects.bulk_create(
        Share(content_type=ContentType.objects.get_for_model(Case), object_id=case.pk,
              region=case.region, kind=ShareKind.CASE_INVITE,
              from_organisation=world.organisation("A"), to_organisation=world.partner("A"),
              legal_basis=LegalBasis.COVENANT, purpose="Begeleiding",
              shared_by=world.user(Role.ZORGCOORDINATOR, "A"))
        for case in invited
    )  # fmt: skip
    Case.objects.filter(pk=invited[0].pk).update(restricted=True)
    page = verified_client(partner).get(reverse("cases:list"))
    assert sorted(_shown(page.content)) == sorted(c.reference for c in invited[1:])
    assert _next_link(page.content) is None


def test_a_nonsense_page_marker_shows_the_first_page(world: World) -> None:
    _cases(world, 3)
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    page = client.get(reverse("cases:list"), {"na": "gisteren_x"})
    assert page.status_code == 200 and len(_shown(page.content)) == 3


def test_the_pages_hold_exactly_the_cases_the_rule_lets_each_reader_see(world: World) -> None:
    """case_list_page (three scans merged) against cases_visible_to (the rule as one query)."""
    from inbeeld.cases.access import case_list_page, cases_visible_to
    from inbeeld.cases.tests.helpers import world_case

    made = _cases(world, 4)
    world_case(world, "A")
    world_case(world, "B")
    Share.objects.create(
        content_type=ContentType.objects.get_for_model(Case), object_id=made[1].pk,
        region=made[1].region, kind=ShareKind.CASE_INVITE,
        from_organisation=world.organisation("A"), to_organisation=world.partner("A"),
        legal_basis=LegalBasis.COVENANT, purpose="Begeleiding",
        shared_by=world.user(Role.ZORGCOORDINATOR, "A"),
    )  # fmt: skip
    Case.objects.filter(pk=made[2].pk).update(restricted=True, status=CaseStatus.CLOSED)
    readers = [
        world.user(Role.ZORGCOORDINATOR, "A"),
        world.user(Role.ZORGCOORDINATOR, "B"),
        world.user(Role.KETENPARTNER, "A"),
        world.user(Role.KETENPARTNER, "B"),
        staff_user(role=Role.KETENPARTNER, organisation=world.partner("A")),
        world.two_regions,
    ]
    for reader in readers:
        for status in ("open", "closed", "all"):
            paged = {c.pk for c in case_list_page(reader, status=status, size=2)[:2]}
            everything = {c.pk for c in case_list_page(reader, status=status, size=100)}
            rule = cases_visible_to(reader)
            if status == "open":
                rule = rule.filter(status="open")
            elif status == "closed":
                rule = rule.exclude(status="open")
            assert everything == set(rule.values_list("pk", flat=True)), (reader, status)
            newest = rule.order_by("-created_at", "-pk").values_list("pk", flat=True)[:2]
            assert paged == set(newest), (reader, status)
