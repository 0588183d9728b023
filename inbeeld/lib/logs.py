"""Structured logs without personal data: a request id on every line, one access line a request.

The logs go to operators and log collectors that are not bound by InBeeld's need-to-know rules,
so they carry only what identifies a request, never what was in it:

- the access line names the URL *pattern* (``signalen/<int:pk>/``), never the raw path or the
  query string (raw paths can hold receipt codes and ids);
- the user appears by numeric id only; who did what to which record is in the audit trail;
- Django's error log attaches the request object to its records: it is dropped, and its raw
  path in the message is replaced by the pattern;
- exception texts often quote the offending value (``Key (email)=(...) already exists``):
  tracebacks keep their frames and the exception's type, not its message.
"""

from __future__ import annotations

import logging
import re
import time
import traceback
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from types import TracebackType
from typing import Any

from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id (a proxy's, a partner system's) is kept only when it cannot smuggle anything
# into a log line: short, and letters, digits and -_. only.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# The only fields a JSON line carries: nothing a record happens to have attached reaches it.
FIELDS = ("request_id", "method", "route", "view", "status", "duration_ms", "user_id")

access_log = logging.getLogger("inbeeld.access")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def request_id_from(header: str | None) -> str:
    """The caller's request id when it is safe to log, else a new one."""
    if header and VALID_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives every request an id (response header, every log line) and writes its access line.

    Outermost middleware, so the access line also covers static files and refusals.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        # Also on the request: Django logs a 4xx/5xx answer after the middleware returned.
        request.request_id = rid  # type: ignore[attr-defined]
        token = request_id.set(rid)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response.headers[REQUEST_ID_HEADER] = rid
            access_log.info(
                "%s %s %s",
                request.method,
                route_of(request) or "-",
                response.status_code,
                extra={
                    "method": request.method,
                    "route": route_of(request),
                    "view": view_of(request),
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user_id": user_id_of(request),
                },
            )
            return response
        finally:
            request_id.reset(token)


def route_of(request: HttpRequest) -> str | None:
    """The URL pattern the request matched (``api/v1/signals/<int:pk>/``), None if none."""
    match = getattr(request, "resolver_match", None)
    return f"/{match.route}" if match is not None else None


def view_of(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else None


def user_id_of(request: HttpRequest) -> int | None:
    """The pseudonymous numeric id, never the user name (the audit trail says who)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return int(user.pk)


class RequestContextFilter(logging.Filter):
    """On the handler: the request id on every record, and no request object or raw path."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = record.__dict__.pop("request", None)
        record.request_id = request_id.get() or getattr(request, "request_id", None)
        if isinstance(request, HttpRequest):
            # Django's messages end in the raw path ("Not Found: %s"); the pattern says enough.
            raw = {request.path, request.get_full_path()}
            if isinstance(record.args, tuple):
                route = route_of(request) or "-"
                record.args = tuple(route if arg in raw else arg for arg in record.args)
            record.method = request.method
            record.route = route_of(request)
            record.view = view_of(request)
            record.user_id = user_id_of(request)
        if "status_code" in record.__dict__:
            record.status = record.__dict__.pop("status_code")
        return True


def exception_without_values(exc_info: ExcInfo) -> str:
    """The traceback's frames and the exception's type, not its message (which may quote data)."""
    kind, _value, tb = exc_info
    frames = "".join(traceback.format_tb(tb))
    return f"Traceback (most recent call last):\n{frames}{kind.__module__}.{kind.__qualname__}"


class JsonLogFormatter(JsonFormatter):
    """One JSON object a line, with a fixed set of fields (see FIELDS)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__(*args, **kwargs)

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        allowed = {"time", "level", "logger", "message", "exc_info", "stack_info"}
        for key in list(log_data):
            if key not in allowed:
                del log_data[key]
        log_data["request_id"] = getattr(record, "request_id", None)
        for name in FIELDS[1:]:
            if hasattr(record, name):
                log_data[name] = getattr(record, name)

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        return exception_without_values(ei)


class TextLogFormatter(logging.Formatter):
    """The human-readable format (embedded mode): the same care for exception texts."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        return exception_without_values(ei)


def gunicorn_logger_class() -> type:
    """gunicorn's error log through InBeeld's handler and level (one format in one stream)."""
    from gunicorn import glogging

    class InBeeldGunicornLogger(glogging.Logger):  # type: ignore[misc]
        def setup(self, cfg: Any) -> None:
            super().setup(cfg)
            for handler in list(self.error_log.handlers):
                self.error_log.removeHandler(handler)
            self.error_log.propagate = True
            self.error_log.setLevel(logging.NOTSET)  # LOG_LEVEL decides

    return InBeeldGunicornLogger
