"""The request id and what a log line may carry (inbeeld/lib/logs.py)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils.log import log_response

from inbeeld.lib.logs import (
    REQUEST_ID_HEADER,
    JsonLogFormatter,
    RequestContextFilter,
    RequestIdMiddleware,
    TextLogFormatter,
)

CANARY = "kanarie-7f3a9"


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.addFilter(RequestContextFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def captured() -> Iterator[Captured]:
    handler = Captured()
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield handler
    root.setLevel(level)
    root.removeHandler(handler)


def answer_with_header(header: str | None) -> HttpResponse:
    headers = {REQUEST_ID_HEADER: header} if header is not None else {}
    request = RequestFactory().get("/healthz", headers=headers)
    return RequestIdMiddleware(lambda _request: HttpResponse("ok"))(request)


def test_a_valid_incoming_request_id_is_kept() -> None:
    assert answer_with_header("proxy-42.abc_DEF")[REQUEST_ID_HEADER] == "proxy-42.abc_DEF"


@pytest.mark.parametrize("header", [None, "", "x" * 65, "a b", "id\nforged line", "<script>"])
def test_a_missing_invalid_or_too_long_request_id_is_replaced(header: str | None) -> None:
    given = answer_with_header(header)[REQUEST_ID_HEADER]
    assert given != header
    assert len(given) == 32 and given.isalnum()


def test_every_line_during_a_request_carries_its_id_and_one_access_line_follows(
    captured: Captured,
) -> None:
    def view(_request: HttpRequest) -> HttpResponse:
        logging.getLogger("inbeeld.somewhere").warning("something happened")
        return HttpResponse("ok")

    request = RequestFactory().get("/x", headers={REQUEST_ID_HEADER: "abc123"})
    RequestIdMiddleware(view)(request)
    assert [(r.name, r.request_id) for r in captured.records] == [  # type: ignore[attr-defined]
        ("inbeeld.somewhere", "abc123"),
        ("inbeeld.access", "abc123"),
    ]
    logging.getLogger("inbeeld.after").warning("outside a request")
    assert captured.records[-1].request_id is None  # type: ignore[attr-defined]


@pytest.mark.parametrize("formatter", [JsonLogFormatter(), TextLogFormatter()])
def test_an_error_during_a_request_logs_no_request_data_nor_exception_text(
    captured: Captured, formatter: logging.Formatter
) -> None:
    request = RequestFactory().post(
        f"/meldpunt/{CANARY}/?q={CANARY}", {"description": CANARY}, REMOTE_ADDR="203.0.113.9"
    )
    try:
        raise ValueError(f"duplicate key value ({CANARY})")
    except ValueError as error:
        response = HttpResponse(status=500)
        log_response(
            "Internal Server Error: %s",
            request.path,
            response=response,
            request=request,
            exception=error,
        )
        logging.getLogger("inbeeld.x").exception("while saving %s", "the report")
    lines = [formatter.format(record) for record in captured.records]
    text = "\n".join(lines)
    assert CANARY not in text
    assert "203.0.113.9" not in text
    assert "ValueError" in text  # the type stays: enough to find the bug
    if isinstance(formatter, JsonLogFormatter):
        first = json.loads(lines[0])
        assert first["level"] == "ERROR"
        assert first["status"] == 500
        assert first["message"] == "Internal Server Error: -"
        assert "request" not in first


def test_django_logs_only_through_the_filtered_handler() -> None:
    """Django's defaults would add a DEBUG console and a mail handler with the request repr."""
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django").propagate
    server = logging.getLogger("django.server")
    assert not server.propagate
    assert "NullHandler" in [type(h).__name__ for h in server.handlers]
    assert any(
        isinstance(f, RequestContextFilter)
        for handler in logging.getLogger().handlers
        for f in handler.filters
    )
