"""The network's background work (django-q2): mailing a newsletter issue."""

from __future__ import annotations

from inbeeld.network.newsletter import newsletter_deliver


def newsletter_deliver_task(issue_id: int) -> int:
    """Run by the worker after an issue is sent (newsletter.issue_send)."""
    return newsletter_deliver(issue_id)
