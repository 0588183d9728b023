"""Building meldpunt submissions the way a browser sends them."""

from __future__ import annotations

import secrets
import time
from typing import Any
from unittest import mock

from django.core import signing

from inbeeld.regions.models import Municipality
from inbeeld.signals.forms import STARTED_SALT


def started(seconds_ago: float = 30) -> str:
    """The form's signed start time, as if it was opened ``seconds_ago``."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds_ago):
        return signing.TimestampSigner(salt=STARTED_SALT).sign("meldpunt")


def public_post(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "description": "Bij de buren wonen acht mannen in één kamer; ze worden om vijf uur "
        "opgehaald met een busje.",
        "municipality": Municipality.objects.get(code="GM0664").pk,
        "place_text": "Voorbeeldstraat",
        "form_token": secrets.token_urlsafe(24),
        "started": started(),
        "website": "",
    }
    data.update(overrides)
    return data
