"""In a real browser (Dutch, 360 px wide): a visitor subscribes to Zeeland's newsletter and
confirms with the link from the mail (a button, not the link alone); the ketenregisseur
composes an issue, sees the preview with the public agenda, and sends it; the worker mails
it to the confirmed address with its unsubscribe link, and the issue is in the public
archive. Every page visited is checked by axe-core (testing/browser.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from inbeeld.accounts.models import Organisation, OrganisationType, Role
from inbeeld.network.models import (
    Activity,
    ActivityKind,
    NewsletterIssue,
    Subscriber,
    SubscriberStatus,
)
from inbeeld.network.newsletter import newsletter_deliver
from inbeeld.regions.models import Municipality
from inbeeld.testing.browser import assert_accessible, log_in
from inbeeld.testing.factories import region, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ADDRESS = "lezer@example.org"


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


def test_subscribe_confirm_compose_and_send(live_server: Any, page: Any) -> None:
    zeeland = region("VR19")
    goes = Municipality.objects.get(code="GM0664")
    organiser = Organisation.objects.create(
        name="Gemeente Goes", type=OrganisationType.MUNICIPALITY, region=zeeland, municipality=goes
    )
    Activity.objects.create(
        region=zeeland, kind=ActivityKind.AWARENESS, title="Open avond signalen",
        starts_at=timezone.now() + timedelta(days=20), municipality=goes, organiser=organiser,
        target_groups=["general_public"], public=True,
    )  # fmt: skip
    page.set_viewport_size({"width": 360, "height": 800})

    page.goto(f"{live_server.url}/nieuwsbrief/?regio=VR19")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Aanmelden voor de regionale nieuwsbrief"
    )
    _fits(page)
    page.get_by_label("E-mailadres").fill(ADDRESS)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_test_id("subscribe-answer")).to_contain_text("Als dit adres")
    _fits(page)
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    [confirmation] = mail.outbox
    link = next(line for line in confirmation.body.splitlines() if "/bevestigen/" in line)
    # The mail names SITE_URL; the test's server listens elsewhere.
    path = link.strip().split("/nieuwsbrief/", 1)[1]
    page.goto(f"{live_server.url}/nieuwsbrief/{path}")
    _fits(page)
    page.get_by_role("button", name="Ja, bevestigen").click()
    expect(page.get_by_test_id("confirmed")).to_contain_text("Zeeland")
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED

    keeper = staff_user(role=Role.KETENREGISSEUR, region_code="VR19", username="regie.zeeland")
    log_in(page, live_server.url, keeper)
    page.set_viewport_size({"width": 360, "height": 800})
    page.get_by_role("link", name="Nieuwsbrief").first.click()
    expect(page.get_by_test_id("subscriber-counts-VR19")).to_contain_text("1 bevestigde abonnees")
    _fits(page)
    page.get_by_role("link", name="Nieuwe nieuwsbrief").click()
    page.get_by_role("button", name="Concept opslaan").click()
    expect(page.locator("#id_title_error")).to_be_visible()
    page.get_by_label("Titel").fill("Nieuwsbrief Zeeland, december")
    page.get_by_label("Tekst").fill("Terugblik op de sleutelfigurenbijeenkomst in Goes.")
    page.get_by_role("button", name="Concept opslaan").click()
    expect(page.get_by_test_id("newsletter-upcoming")).to_contain_text("Open avond signalen")
    _fits(page)
    page.get_by_role("button", name="Nieuwsbrief verzenden").click()
    expect(
        page.get_by_text("De nieuwsbrief wordt verzonden aan 1 bevestigde abonnees.")
    ).to_be_visible()
    _fits(page)

    issue = NewsletterIssue.objects.get()
    mail.outbox.clear()
    assert newsletter_deliver(issue.pk) == 1  # the worker, here in the test's own thread
    [sent] = mail.outbox
    assert sent.to == [ADDRESS] and "Open avond signalen" in sent.body
    assert "/nieuwsbrief/afmelden/" in sent.extra_headers["List-Unsubscribe"]

    page.goto(f"{live_server.url}/nieuwsbrief/VR19/")
    page.get_by_role("link", name="Nieuwsbrief Zeeland, december").click()
    expect(page.get_by_test_id("newsletter-body")).to_contain_text("sleutelfigurenbijeenkomst")
    _fits(page)
