"""Liveness (/healthz) and readiness (/readyz), on both engines."""

from __future__ import annotations

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone
from django_q.models import Schedule

from inbeeld.web.health import HEARTBEAT


@pytest.mark.django_db
def test_healthz_answers_without_asking_the_database() -> None:
    """Under overload a liveness probe must not queue behind the database."""
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def _heartbeat_at(when: datetime) -> None:
    Schedule.objects.filter(name=HEARTBEAT).update(next_run=when)


@pytest.mark.django_db
def test_readyz_is_200_with_the_database_and_a_running_worker() -> None:
    _heartbeat_at(timezone.now() + timedelta(minutes=3))
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "ok"}


@pytest.mark.django_db
def test_readyz_is_503_when_no_worker_picks_up_the_heartbeat() -> None:
    _heartbeat_at(timezone.now() - timedelta(hours=1))
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["worker"] == "not running"


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_does_not_answer() -> None:
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("refused")):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


@pytest.mark.django_db
def test_health_pages_need_no_login_and_reveal_no_version() -> None:
    assert set(Client().get("/healthz").json()) == {"status"}
    assert set(Client().get("/readyz").json()) == {"status", "database", "worker"}
