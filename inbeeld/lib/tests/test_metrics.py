"""/metrics: Prometheus' figures for the token's holder only, with no personal data in labels."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from inbeeld.audit.models import AuditEntry

TOKEN = "test-metrics-token-0123456789"


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="")
def test_metrics_do_not_exist_without_a_token_setting() -> None:
    assert Client().get("/metrics").status_code == 404


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Token {TOKEN}", TOKEN])
def test_metrics_refuse_anyone_without_the_token(header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = Client().get("/metrics", headers=headers)
    assert response.status_code == 401
    assert b"inbeeld_" not in response.content
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_count_requests_by_pattern_and_read_the_database() -> None:
    client = Client()
    client.get("/healthz")
    client.get("/meldpunt/status/?code=SECRET-IN-QUERY")
    client.get("/no/such/path/KANARIE-IN-PATH")
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'inbeeld_http_requests_total{method="GET",route="/healthz",status="200"}' in text
    assert 'route="unmatched"' in text
    assert "inbeeld_http_request_duration_seconds_bucket" in text
    assert "inbeeld_http_requests_shed_total" in text
    assert f"inbeeld_audit_entries {float(AuditEntry.objects.count())}" in text
    assert "inbeeld_task_queue_depth 0.0" in text
    assert "inbeeld_task_failures 0.0" in text
    # Labels name patterns, never what a path or query held.
    assert "SECRET-IN-QUERY" not in text
    # (A canary of letters: digits like 4711 turn up in the samples' timestamps by chance.)
    assert "KANARIE-IN-PATH" not in text
