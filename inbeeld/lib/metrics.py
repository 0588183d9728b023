"""Prometheus metrics: requests and their latency, shed requests, the background worker's queue
and failures, and the audit trail's length.

Labels never carry anything about a person or a record: the route is the URL *pattern*
(``/signalen/<int:signal_id>/``), never the path; no region, organisation or user.

Across gunicorn's worker processes the counters are kept in prometheus-client's multi-process
mode: ``inbeeld serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at a fresh folder before anything
imports this module, every process writes its own file there, and ``/metrics`` adds them up.
The database's figures (task queue, failures, audit trail) are read when ``/metrics`` is asked.

``/metrics`` answers only with ``Authorization: Bearer <METRICS_TOKEN>``; without that setting it
does not exist (404), with a missing or wrong token it answers 401 (docs/operations.md).
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "inbeeld_http_requests",
    "HTTP requests answered, by method, URL pattern and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "inbeeld_http_request_duration_seconds",
    "Time from the request reaching Django to its answer, by method and URL pattern",
    ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
SHED_REQUESTS = Counter(
    "inbeeld_http_requests_shed",
    "Requests answered 503 at once because the worker process's queue was full",
)


class MetricsMiddleware:
    """Counts every answer and its time; just inside RequestIdMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        route = _route(request)
        method = request.method if request.method in _METHODS else "other"
        LATENCY.labels(method, route).observe(time.monotonic() - started)
        REQUESTS.labels(method, route, str(response.status_code)).inc()
        return response


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _route(request: HttpRequest) -> str:
    """The URL pattern; static files and unmatched paths fall into two fixed values, so a
    scanner's made-up paths cannot add labels without end."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return f"/{match.route}"
    if request.path.startswith(str(settings.STATIC_URL)):
        return "static"
    return "unmatched"


class DatabaseCollector(Collector):
    """Figures read from the database at every scrape (the same for every process)."""

    def collect(self) -> Iterator[Metric]:
        from django_q.models import Failure, OrmQ

        from inbeeld.audit.models import AuditEntry

        yield GaugeMetricFamily(
            "inbeeld_task_queue_depth",
            "Background tasks queued and not yet taken by the worker",
            value=OrmQ.objects.count(),
        )
        yield GaugeMetricFamily(
            "inbeeld_task_failures",
            "Background tasks on record as failed (django-q2 keeps failures until deleted)",
            value=Failure.objects.count(),
        )
        yield GaugeMetricFamily(
            "inbeeld_audit_entries", "Entries in the audit trail", value=AuditEntry.objects.count()
        )


def exposition() -> bytes:
    """Every metric in Prometheus' text format: all worker processes' counters and the
    database's figures."""
    registry: CollectorRegistry
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = CollectorRegistry()
        registry.register(_ProcessMetrics())
    registry.register(DatabaseCollector())
    return generate_latest(registry)


class _ProcessMetrics(Collector):
    """This process's own counters (one process: tests, `inbeeld manage runserver`)."""

    def collect(self) -> Iterator[Metric]:
        for metric in REGISTRY.collect():
            if metric.name.startswith("inbeeld_"):
                yield metric


def _authorised(request: HttpRequest) -> bool:
    expected = f"Bearer {settings.METRICS_TOKEN}"
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), expected.encode())


@login_not_required
@never_cache
@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not settings.METRICS_TOKEN:
        raise Http404
    if not _authorised(request):
        response = HttpResponse("401 Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
