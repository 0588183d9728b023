"""What the outboxes share: the wait between attempts, and one POST that follows no redirect.

Two outboxes deliver from the database (registration/transport.py to CoMensha's API,
integrations/webhooks.py to organisations' webhooks); each keeps its own rows, claim and
audit, and asks here how long to wait and how to send.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4, ... minutes, at most 6 h."""
    if attempts >= 20:  # 2**19 minutes is far past the cap; no huge numbers
        return BACKOFF_CAP
    wait: timedelta = BACKOFF_BASE * (2 ** max(attempts - 1, 0))
    return min(wait, BACKOFF_CAP)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new address: data goes only where it was set to."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def post(
    url: str, headers: dict[str, str], body: bytes, *, timeout: float, read_limit: int
) -> tuple[int | None, str, bytes]:
    """The answer's status (None without a connection), an error in InBeeld's words, and
    at most ``read_limit`` bytes of the answer. The caller checks the address first."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            return int(answer.status), "", answer.read(read_limit)
    except urllib.error.HTTPError as error:
        return int(error.code), f"HTTP {error.code}", b""
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return None, f"no connection ({type(reason).__name__})", b""
