"""The region's newsletter: subscribing with double opt-in, one-click unsubscribing, composing
an issue from the agenda, the recent activities, free text and a few key figures, sending it
through Django's mail backend, and the public archive of what was sent.

Rules this module keeps (tests in network/tests/test_newsletter.py):

- **Double opt-in.** A new address is ``pending`` and gets one mail with a signed link
  (django.core.signing, valid CONFIRM_HOURS); only ``confirmed`` addresses receive an issue.
  The link opens a page with a button: mail scanners that follow links confirm nothing.
- **Unsubscribed is final.** Every mail carries a personal unsubscribe link and the
  ``List-Unsubscribe`` / ``List-Unsubscribe-Post`` headers (RFC 8058: the mail program's
  button POSTs to the same address). Unsubscribing records the address's keyed hash in
  ``Unsubscribed``, which outlives the subscriber row: that address gets nothing again, no
  issue and no confirmation request, whoever enters it. Each delivery asks again just before
  the mail is handed over, so an issue being sent skips who unsubscribed meanwhile.
- **No enumeration.** The public form answers the same whether the address is new, pending,
  confirmed or unsubscribed; a pending address gets at most one confirmation mail a day.
- **Key figures** come from insight's aggregate counts (figures.key_figures), region-wide
  totals only, each hidden below the small-number threshold (dashboard.is_small): a
  newsletter is public, so no municipality breakdown and no "of which" parts that could be
  subtracted from their total.
- **Audit.** Composing, changing and sending an issue are audited (Purpose.NETWORK);
  subscribing, confirming and unsubscribing too, without the address (the entry names the
  subscriber row).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.accounts.models import User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.insight.dashboard import is_small, threshold
from inbeeld.insight.figures import key_figures
from inbeeld.network.models import (
    Activity,
    ActivityKind,
    DeliveryStatus,
    IssueStatus,
    NewsletterDelivery,
    NewsletterIssue,
    Subscriber,
    SubscriberStatus,
    Unsubscribed,
)
from inbeeld.network.reach import reach
from inbeeld.privacy.encryption import blind_index
from inbeeld.regions.models import Region

logger = logging.getLogger(__name__)

PURPOSE = Purpose.NETWORK
CONFIRM_HOURS = 48
CONFIRM_SALT = "inbeeld.network.newsletter.confirm"
UNSUBSCRIBE_SALT = "inbeeld.network.newsletter.unsubscribe"
RESEND_AFTER = timedelta(days=1)  # at most one confirmation mail a day to a pending address
UPCOMING_DAYS = 92  # the agenda of an issue: the coming three months
RECENT_DAYS = 92  # and what happened in the last three
MAX_ITEMS = 20
TASK = "inbeeld.network.tasks.newsletter_deliver_task"

# The figures an issue shows, by key: region-wide totals only (see the module's text).
FIGURE_LABELS: dict[str, Promise] = {
    "signals": gettext_lazy("Signals received"),
    "cases": gettext_lazy("Cases opened"),
    "reached": gettext_lazy("Professionals reached by the network (12 months)"),
}


def normalised_email(address: str) -> str:
    return address.strip().casefold()


def email_index(address: str) -> str:
    return blind_index(normalised_email(address), purpose="newsletter-email")


# --- tokens ------------------------------------------------------------------------------------


def confirm_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "i": subscriber.email_index[:16]}, salt=CONFIRM_SALT)


def unsubscribe_token(subscriber: Subscriber) -> str:
    """No expiry: the link in a mail of years ago must still unsubscribe (RFC 8058)."""
    return signing.dumps(
        {"s": subscriber.pk, "i": subscriber.email_index[:16]}, salt=UNSUBSCRIBE_SALT
    )


def _subscriber_of(token: str, *, salt: str, max_age: int | None) -> Subscriber | None:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        return None
    found = Subscriber.objects.select_related("region").filter(pk=int(data["s"])).first()
    if found is None or found.email_index[:16] != data.get("i"):
        return None
    return found


def subscriber_to_confirm(token: str) -> Subscriber | None:
    return _subscriber_of(token, salt=CONFIRM_SALT, max_age=CONFIRM_HOURS * 3600)


def subscriber_to_unsubscribe(token: str) -> Subscriber | None:
    return _subscriber_of(token, salt=UNSUBSCRIBE_SALT, max_age=None)


def _link(name: str, token: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + reverse(name, args=[token])


# --- subscribing ---------------------------------------------------------------------------------


def is_unsubscribed(region_id: int, index: str) -> bool:
    return Unsubscribed.objects.filter(region_id=region_id, email_index=index).exists()


def subscriber_add(*, region: Region, email: str) -> None:
    """Ask for the newsletter: a new address gets a confirmation mail. Refused (naming
    ``email``) only for what is not an address at all; everything else answers the same
    to the caller, whatever the address's state, so the form tells nothing about it."""
    address = email.strip()
    try:
        if len(address) > 254:
            raise ValidationError("too long")
        validate_email(address)
    except ValidationError as error:
        raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from error
    index = email_index(address)
    now = timezone.now()
    with transaction.atomic():
        if is_unsubscribed(region.pk, index):
            return  # never mailed again, not even to ask
        subscriber = (
            Subscriber.objects.select_for_update().filter(region=region, email_index=index).first()
        )
        if subscriber is None:
            subscriber = Subscriber.objects.create(region=region, email=address, email_index=index)
            audit_record(
                actor=None,
                action=Action.CREATE,
                target=subscriber,
                purpose=PURPOSE,
                detail={"newsletter": "subscribed"},
            )
        if subscriber.status != SubscriberStatus.PENDING:
            return
        sent = subscriber.confirmation_sent_at
        if sent is not None and now - sent < RESEND_AFTER:
            return
        subscriber.confirmation_sent_at = now
        subscriber.save(update_fields=["confirmation_sent_at"])
    # After the row is stored, outside its lock. A mail that cannot be handed over is
    # logged (its type, never the address), not shown: an error only for new addresses
    # would tell the visitor which addresses are new. Entering the address again tomorrow
    # sends a new one.
    try:
        _confirmation_mail(subscriber.pk)
    except Exception as error:  # any transport error: the same answer
        logger.warning("newsletter confirmation mail not sent: %s", type(error).__name__)


def _confirmation_mail(subscriber_id: int) -> None:
    subscriber = Subscriber.objects.select_related("region").filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status != SubscriberStatus.PENDING:
        return
    if is_unsubscribed(subscriber.region_id, subscriber.email_index):
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "region": subscriber.region,
            "link": _link("network:newsletter_confirm", confirm_token(subscriber)),
            "hours": CONFIRM_HOURS,
        }
        body = render_to_string("network/newsletter_confirm_mail.txt", context)
        subject = _("Confirm your subscription to the newsletter of %(region)s") % {
            "region": subscriber.region.name
        }
    EmailMessage(subject, body, None, [subscriber.email]).send()


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber) -> bool:
    """Confirm a pending subscription (the link's page, after its button). False when there
    is nothing to confirm (already confirmed, or unsubscribed: that stays final)."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status != SubscriberStatus.PENDING or is_unsubscribed(
        subscriber.region_id, subscriber.email_index
    ):
        return subscriber.status == SubscriberStatus.CONFIRMED
    subscriber.status = SubscriberStatus.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.save(update_fields=["status", "confirmed_at"])
    audit_record(
        actor=None,
        action=Action.UPDATE,
        target=subscriber,
        purpose=PURPOSE,
        detail={"newsletter": "confirmed"},
    )
    return True


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber) -> None:
    """Unsubscribe for good: the status, and the keyed hash in Unsubscribed (idempotent)."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    try:
        with transaction.atomic():
            Unsubscribed.objects.create(
                region_id=subscriber.region_id, email_index=subscriber.email_index
            )
    except IntegrityError:
        pass  # already recorded
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return
    subscriber.status = SubscriberStatus.UNSUBSCRIBED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save(update_fields=["status", "unsubscribed_at"])
    NewsletterDelivery.objects.filter(subscriber=subscriber, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SKIPPED, done_at=timezone.now()
    )
    audit_record(
        actor=None,
        action=Action.UPDATE,
        target=subscriber,
        purpose=PURPOSE,
        detail={"newsletter": "unsubscribed"},
    )


def mailable(region: Region) -> Any:
    """The subscribers an issue goes to: confirmed, and not in Unsubscribed."""
    gone = Unsubscribed.objects.filter(region=region).values("email_index")
    return Subscriber.objects.filter(region=region, status=SubscriberStatus.CONFIRMED).exclude(
        email_index__in=gone
    )


def subscriber_counts(region: Region) -> dict[str, int]:
    counts = {status: 0 for status in SubscriberStatus.values}
    for status in Subscriber.objects.filter(region=region).values_list("status", flat=True):
        counts[status] += 1
    counts["mailable"] = mailable(region).count()
    return counts


# --- composing -----------------------------------------------------------------------------------


def _item(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "title": activity.title,
        "kind": activity.kind,
        "starts_at": activity.starts_at.isoformat(),
        "place": activity.place,
        "municipality": activity.municipality.name,
        "organiser": activity.organiser.name,
        "description": activity.description,
    }


def _shown(count: int | None) -> int | None:
    """A figure as the newsletter may print it: None below the small-number threshold."""
    return None if count is None or is_small(count) else count


def issue_content(region: Region) -> dict[str, Any]:
    """What an issue shows besides its text, computed now: the public agenda of the coming
    months, the public activities of the last months, and the key figures (suppressed).
    Only public activities: anyone may subscribe, and the archive is public."""
    now = timezone.now()
    public = Activity.objects.filter(region=region, public=True, cancelled=False).select_related(
        "municipality", "organiser"
    )
    upcoming = public.filter(
        starts_at__gte=now, starts_at__lt=now + timedelta(days=UPCOMING_DAYS)
    ).order_by("starts_at", "pk")[:MAX_ITEMS]
    recent = public.filter(
        starts_at__lt=now, starts_at__gte=now - timedelta(days=RECENT_DAYS)
    ).order_by("-starts_at", "-pk")[:MAX_ITEMS]
    figures = key_figures(region)
    values = {figure.key: figure for figure in figures.figures}
    reached = reach(region).totals[12]
    shown = [
        {
            "key": key,
            "this": _shown(values[key].this_period),
            "last": _shown(values[key].last_period),
        }
        for key in ("signals", "cases")
    ]
    shown.append({"key": "reached", "this": _shown(reached), "last": None})
    return {
        "upcoming": [_item(a) for a in upcoming],
        "recent": [_item(a) for a in recent],
        "figures": shown,
        "figures_since": figures.since.isoformat(),
        "figures_until": figures.until.isoformat(),
        "site": str(settings.SITE_URL).rstrip("/"),
    }


@dataclass(frozen=True)
class ShownFigure:
    key: str
    label: str
    this: int | None
    last: int | None


@dataclass(frozen=True)
class ShownItem:
    title: str
    kind: str
    starts_at: Any
    place: str
    municipality: str
    organiser: str
    description: str


def shown_content(content: dict[str, Any]) -> dict[str, Any]:
    """The stored (or computed) content with its labels in the reader's language."""
    from django.utils.dateparse import parse_date, parse_datetime

    kinds = dict(ActivityKind.choices)

    def items(key: str) -> list[ShownItem]:
        return [
            ShownItem(
                title=item["title"],
                kind=str(kinds.get(item["kind"], item["kind"])),
                starts_at=timezone.localtime(parse_datetime(item["starts_at"])),
                place=item.get("place", ""),
                municipality=item.get("municipality", ""),
                organiser=item.get("organiser", ""),
                description=item.get("description", ""),
            )
            for item in content.get(key, [])
        ]

    figures = [
        ShownFigure(
            key=figure["key"],
            label=str(FIGURE_LABELS.get(figure["key"], figure["key"])),
            this=_shown(figure.get("this")),
            last=_shown(figure.get("last")),
        )
        for figure in content.get("figures", [])
    ]
    return {
        "upcoming": items("upcoming"),
        "recent": items("recent"),
        "figures": figures,
        "since": parse_date(content.get("figures_since", "") or "1970-01-01"),
        "until": parse_date(content.get("figures_until", "") or "1970-01-01"),
        "threshold": threshold(),
    }


def _issue_errors(title: str, introduction: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the issue a title.")]
    elif len(title.strip()) > 200:
        errors["title"] = [_("Shorten the title to 200 characters.")]
    if len(introduction) > 8000:
        errors["introduction"] = [_("Shorten the text to 8,000 characters.")]
    return errors


@transaction.atomic
def issue_create(*, by: User, region: Region, title: str, introduction: str) -> NewsletterIssue:
    if not by.has_perm("network.compose_newsletter_of", region):
        raise ValidationError({"region": [_("Choose a region whose network you keep.")]})
    errors = _issue_errors(title, introduction)
    if errors:
        raise ValidationError(errors)
    issue = NewsletterIssue.objects.create(
        region=region, title=title.strip(), introduction=introduction.strip(), created_by=by
    )
    audit_record(
        actor=by,
        action=Action.CREATE,
        target=issue,
        purpose=PURPOSE,
        detail={"fields": {"title": {"old": None, "new": issue.title}}},
    )
    return issue


@transaction.atomic
def issue_update(
    *, by: User, issue: NewsletterIssue, title: str, introduction: str
) -> NewsletterIssue:
    if not by.has_perm("network.compose_newsletter_of", issue):
        raise PermissionDenied
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != IssueStatus.DRAFT:
        raise ValidationError({"title": [_("A sent issue cannot be changed.")]})
    errors = _issue_errors(title, introduction)
    if errors:
        raise ValidationError(errors)
    before = {"title": issue.title, "introduction": issue.introduction}
    issue.title, issue.introduction = title.strip(), introduction.strip()
    issue.save(update_fields=["title", "introduction", "updated_at"])
    changed = {
        k: {"old": before[k], "new": getattr(issue, k)}
        for k in before
        if before[k] != getattr(issue, k)
    }
    if changed:
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=issue,
            purpose=PURPOSE,
            detail={"fields": changed},
        )
    return issue


# --- sending -------------------------------------------------------------------------------------


@transaction.atomic
def issue_send(*, by: User, issue: NewsletterIssue) -> NewsletterIssue:
    """Freeze the issue's content, make a delivery for every mailable subscriber, and hand
    the mailing to the background worker once committed. Sending twice is refused."""
    if not by.has_perm("network.compose_newsletter_of", issue):
        raise PermissionDenied
    issue = NewsletterIssue.objects.select_for_update().select_related("region").get(pk=issue.pk)
    if issue.status != IssueStatus.DRAFT:
        raise ValidationError({"status": [_("This issue was already sent.")]})
    issue.content = issue_content(issue.region)
    issue.status = IssueStatus.SENT
    issue.sent_by = by
    issue.sent_at = timezone.now()
    recipients = list(mailable(issue.region).values_list("pk", flat=True))
    NewsletterDelivery.objects.bulk_create(
        NewsletterDelivery(issue=issue, subscriber_id=pk) for pk in recipients
    )
    issue.recipients = len(recipients)
    issue.save(update_fields=["content", "status", "sent_by", "sent_at", "recipients"])
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=issue,
        purpose=PURPOSE,
        detail={"newsletter": "sent", "recipients": len(recipients)},
    )
    transaction.on_commit(partial(_enqueue, issue.pk))
    return issue


def _enqueue(issue_id: int) -> None:
    from django_q.tasks import async_task

    async_task(TASK, issue_id, group="newsletter")


def issue_mail(issue: NewsletterIssue, subscriber: Subscriber) -> EmailMessage:
    """One subscriber's mail: the issue as text, a link to it online and a personal
    unsubscribe link, which the List-Unsubscribe headers carry too."""
    unsubscribe = _link("network:newsletter_unsubscribe", unsubscribe_token(subscriber))
    online = str(settings.SITE_URL).rstrip("/") + reverse(
        "network:newsletter_archive_issue", args=[issue.region.code, issue.pk]
    )
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "network/newsletter_mail.txt",
            {
                "issue": issue,
                "content": shown_content(issue.content),
                "online": online,
                "unsubscribe": unsubscribe,
            },
        )
    return EmailMessage(
        issue.title,
        body,
        None,
        [subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<{issue.region.code.lower()}.newsletter.inbeeld>",
        },
    )


def newsletter_deliver(issue_id: int) -> int:
    """Mail an issue's waiting deliveries (the background task; a retry sends nothing twice).
    Each delivery is claimed in its own transaction, its subscriber asked again: only a
    confirmed address that is not in Unsubscribed is mailed. Returns the number mailed."""
    mailed = 0
    pending = NewsletterDelivery.objects.filter(issue_id=issue_id, status=DeliveryStatus.PENDING)
    for delivery_id in list(pending.values_list("pk", flat=True)):
        with transaction.atomic():
            delivery = (
                NewsletterDelivery.objects.select_for_update()
                .select_related("issue__region", "subscriber")
                .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
                .first()
            )
            if delivery is None:
                continue
            subscriber = delivery.subscriber
            still = subscriber.status == SubscriberStatus.CONFIRMED and not is_unsubscribed(
                subscriber.region_id, subscriber.email_index
            )
            delivery.status = DeliveryStatus.SENT if still else DeliveryStatus.SKIPPED
            delivery.done_at = timezone.now()
            delivery.save(update_fields=["status", "done_at"])
            if still:
                # Handed over inside the transaction: a mail that fails rolls the delivery
                # back to waiting, for the task's retry.
                issue_mail(delivery.issue, subscriber).send()
                mailed += 1
    return mailed
