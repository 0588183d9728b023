"""Building meldpunt submissions the way a browser sends them."""

from __future__ import annotations

import secrets
import time
from typing import Any
from unittest import mock

from inbeeld.regions.models import Municipality
from inbeeld.signals.forms import started_for
from inbeeld.signals.models import Signal


def started(form_token: str, seconds_ago: float = 30) -> str:
    """The signed start time of the form with ``form_token``, opened ``seconds_ago``."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds_ago):
        return started_for(form_token)


def public_post(**overrides: Any) -> dict[str, Any]:
    token = str(overrides.get("form_token", secrets.token_urlsafe(24)))
    data: dict[str, Any] = {
        "description": "Bij de buren wonen acht mannen in één kamer; ze worden om vijf uur "
        "opgehaald met een busje.",
        "municipality": Municipality.objects.get(code="GM0664").pk,
        "place_text": "Voorbeeldstraat",
        "form_token": token,
        "started": started(token),
        "website": "",
    }
    data.update(overrides)
    return data


def version_of(signal: Signal) -> int:
    """The signal's version as stored now: what a page opened now would show."""
    return int(Signal.objects.values_list("version", flat=True).get(pk=signal.pk))
