"""The regional newsletter: double opt-in, unsubscribed is final, no enumeration, suppressed
key figures, composing and sending by the keepers only, and the public archive."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.audit.models import AuditEntry
from inbeeld.network import newsletter
from inbeeld.network.models import (
    DeliveryStatus,
    IssueStatus,
    NewsletterDelivery,
    NewsletterIssue,
    Subscriber,
    SubscriberStatus,
    Unsubscribed,
)
from inbeeld.network.tests.helpers import activity_in
from inbeeld.signals.tests.test_queue import reported
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import region
from inbeeld.testing.world import REGION_CODES, World

pytestmark = pytest.mark.django_db

ADDRESS = "lezer@example.org"


def _subscribe(address: str = ADDRESS, letter: str = "A", client: Client | None = None) -> Any:
    return (client or Client()).post(
        reverse("network:newsletter_subscribe"),
        {"region": region(REGION_CODES[letter]).pk, "email": address},
    )


def _link_in(message: Any, name: str) -> str:
    prefix = reverse(name, args=["TOKEN"]).replace("TOKEN/", "")
    for line in message.body.splitlines():
        if prefix in line:
            return str(line[line.index(prefix) :].split()[0])
    raise AssertionError(f"no {name} link in the mail")


def _confirmed(address: str = ADDRESS, letter: str = "A") -> Subscriber:
    mail.outbox.clear()
    _subscribe(address, letter)
    link = _link_in(mail.outbox[-1], "network:newsletter_confirm")
    Client().post(link)
    return Subscriber.objects.get(email_index=newsletter.email_index(address))


def _issue(world: World, letter: str = "A", title: str = "Nieuwsbrief december") -> NewsletterIssue:
    return newsletter.issue_create(
        by=world.user(Role.KETENREGISSEUR, letter),
        region=region(REGION_CODES[letter]),
        title=title,
        introduction="Terugblik op de sleutelfigurenbijeenkomst.",
    )


def _send(world: World, issue: NewsletterIssue, letter: str = "A") -> int:
    newsletter.issue_send(by=world.user(Role.KETENREGISSEUR, letter), issue=issue)
    mail.outbox.clear()
    return newsletter.newsletter_deliver(issue.pk)  # what the worker does


def test_double_opt_in_an_unconfirmed_address_gets_no_issue(world: World) -> None:
    response = _subscribe()
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.PENDING
    assert str(subscriber.email) == ADDRESS
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [ADDRESS]
    issue = _issue(world)
    assert _send(world, issue) == 0
    assert mail.outbox == []
    assert not NewsletterDelivery.objects.exists()


def test_the_address_is_stored_encrypted_with_a_keyed_hash(world: World) -> None:
    from django.db import connection

    _subscribe()
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, email_index FROM network_subscriber")
        stored, index = cursor.fetchone()
    assert ADDRESS not in stored and ADDRESS not in index
    assert index == newsletter.email_index(ADDRESS.upper())


def test_confirming_takes_a_button_and_the_link_expires(world: World) -> None:
    _subscribe()
    link = _link_in(mail.outbox[0], "network:newsletter_confirm")
    page = Client().get(link)
    assert page.status_code == 200 and 'data-testid="confirm-form"' in page.content.decode()
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING  # a GET confirms nothing
    later = timezone.now() + timedelta(hours=newsletter.CONFIRM_HOURS + 1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(time, "time", lambda: later.timestamp())
        assert Client().post(link).status_code == 404
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    assert Client().post(link).status_code == 200
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED
    assert Client().post("/nieuwsbrief/bevestigen/forged:token/").status_code == 404


def test_a_confirmed_subscriber_gets_the_issue_with_unsubscribe_link_and_headers(
    world: World,
) -> None:
    _confirmed()
    activity_in(world, title="Open avond mensenhandel", public=True)
    activity_in(world, title="Alleen voor partners", public=False)
    issue = _issue(world)
    assert _send(world, issue) == 1
    message = mail.outbox[0]
    assert message.to == [ADDRESS] and message.subject == "Nieuwsbrief december"
    assert "Open avond mensenhandel" in message.body
    assert "Alleen voor partners" not in message.body  # the newsletter is public
    link = _link_in(message, "network:newsletter_unsubscribe")
    assert message.extra_headers["List-Unsubscribe"] == f"<{settings.SITE_URL}{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert _send(world, _issue(world, title="Tweede")) == 1


def test_an_unsubscribed_address_is_never_mailed_again(world: World) -> None:
    subscriber = _confirmed()
    issue = _issue(world)
    assert _send(world, issue) == 1
    link = _link_in(mail.outbox[0], "network:newsletter_unsubscribe")
    # The mail program's one-click POST (RFC 8058), without a CSRF token.
    one_click = Client(enforce_csrf_checks=True).post(link, {"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert Unsubscribed.objects.filter(email_index=subscriber.email_index).exists()
    # No next issue.
    assert _send(world, _issue(world, title="Volgende")) == 0
    assert mail.outbox == []
    # Entering the address again sends no confirmation request and answers the same.
    again = _subscribe()
    assert again.status_code == 200 and 'data-testid="subscribe-answer"' in again.content.decode()
    assert mail.outbox == []
    # Not even after retention removed the subscriber row with the address.
    Subscriber.objects.all().delete()
    _subscribe()
    _subscribe(ADDRESS.upper())
    assert mail.outbox == []
    assert _send(world, _issue(world, title="Nog een")) == 0


def test_an_issue_being_sent_skips_who_unsubscribed_meanwhile(world: World) -> None:
    subscriber = _confirmed()
    issue = _issue(world)
    newsletter.issue_send(by=world.user(Role.KETENREGISSEUR, "A"), issue=issue)
    newsletter.subscriber_unsubscribe(subscriber=subscriber)
    mail.outbox.clear()
    assert newsletter.newsletter_deliver(issue.pk) == 0
    assert mail.outbox == []
    assert NewsletterDelivery.objects.get().status == DeliveryStatus.SKIPPED


def test_the_form_answers_the_same_whatever_the_address(world: World) -> None:
    fresh = _subscribe("nieuw@example.org").content.decode()
    _confirmed("bekend@example.org")
    known = _subscribe("bekend@example.org").content.decode()
    pending = _subscribe("nieuw@example.org").content.decode()

    def answer(page: str) -> str:
        start = page.index('data-testid="subscribe-answer"')
        return page[start : page.index("</p>", start)]

    assert answer(fresh) == answer(known) == answer(pending)
    # A pending address gets at most one confirmation mail a day.
    mail.outbox.clear()
    _subscribe("nieuw@example.org")
    assert mail.outbox == []


def test_the_form_names_a_bad_address_and_is_rate_limited(world: World) -> None:
    client = Client()
    page = _subscribe("geen adres", client=client).content.decode()
    assert 'id="id_email_error"' in page
    assert not Subscriber.objects.exists()
    for _attempt in range(9):
        _subscribe(f"x{_attempt}@example.org", client=client)
    limited = _subscribe("laatste@example.org", client=client)
    assert limited.status_code == 429
    assert not Subscriber.objects.filter(
        email_index=newsletter.email_index("laatste@example.org")
    ).exists()


@override_settings(SMALL_CELL_THRESHOLD=5)
def test_key_figures_below_the_threshold_are_hidden(world: World) -> None:
    for _count in range(3):
        reported(world)
    content = newsletter.issue_content(region(REGION_CODES["A"]))
    figures = {f["key"]: f for f in content["figures"]}
    assert figures["signals"]["this"] is None  # 3 signals: fewer than 5
    assert figures["cases"]["this"] == 0  # zero points to nobody
    assert set(figures) == {"signals", "cases", "reached"}  # totals only, no breakdown
    issue = _issue(world)
    page = verified_client(world.user(Role.KETENREGISSEUR, "A")).get(
        reverse("network:newsletter_issue", args=[issue.pk])
    )
    body = page.content.decode()
    table = body[body.index('data-testid="newsletter-figures"') :]
    assert ">3<" not in table[: table.index("</table>")]
    for _count in range(3):
        reported(world)
    content = newsletter.issue_content(region(REGION_CODES["A"]))
    assert {f["key"]: f for f in content["figures"]}["signals"]["this"] == 6


def test_only_the_regions_keepers_compose_and_send(world: World) -> None:
    issue = _issue(world)
    for role, letter in ((Role.ZORGCOORDINATOR, "A"), (Role.KETENREGISSEUR, "B")):
        client = verified_client(world.user(role, letter))
        assert client.get(reverse("network:newsletter_issue", args=[issue.pk])).status_code == 404
        assert client.post(reverse("network:newsletter_send", args=[issue.pk])).status_code == 404
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT
    keeper = verified_client(world.user(Role.KETENREGISSEUR, "A"))
    response = keeper.post(reverse("network:newsletter_send", args=[issue.pk]), follow=True)
    assert response.status_code == 200
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT and issue.sent_at is not None
    actions = set(
        AuditEntry.objects.filter(object_type="network.newsletterissue").values_list(
            "action", flat=True
        )
    )
    assert actions == {"create", "update"}
    # Sending twice is refused; a sent issue is not changed.
    keeper.post(reverse("network:newsletter_send", args=[issue.pk]))
    assert NewsletterIssue.objects.get().recipients == 0


def test_the_archive_shows_sent_issues_only_and_frozen(world: World) -> None:
    draft = _issue(world, title="Concept nog niet weg")
    sent = _issue(world, title="Verzonden nummer")
    activity_in(world, title="Training in het archief", public=True)
    _send(world, sent)
    code = REGION_CODES["A"]
    archive = Client().get(reverse("network:newsletter_archive", args=[code])).content.decode()
    assert "Verzonden nummer" in archive and "Concept nog niet weg" not in archive
    page = Client().get(reverse("network:newsletter_archive_issue", args=[code, sent.pk]))
    assert page.status_code == 200 and "Training in het archief" in page.content.decode()
    activity_in(world, title="Later gepland", public=True)
    page = Client().get(reverse("network:newsletter_archive_issue", args=[code, sent.pk]))
    assert "Later gepland" not in page.content.decode()  # frozen when sent
    hidden = Client().get(reverse("network:newsletter_archive_issue", args=[code, draft.pk]))
    assert hidden.status_code == 404
    other = REGION_CODES["B"]
    assert (
        Client().get(reverse("network:newsletter_archive_issue", args=[other, sent.pk])).status_code
        == 404
    )
