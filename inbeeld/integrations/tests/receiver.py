"""A webhook receiver for tests: a real HTTP server on a loopback port, in a thread.

It checks the signature as a receiver should (docs/api.md) and keeps each event once per
``InBeeld-Event-Id`` (an idempotent receiver). ``script`` says how it answers each request in
turn (a status; "lost": it keeps the event and answers 500, as when its answer is lost on the
way); after the script: 200.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Receiver:
    secret: str = ""
    url: str = ""
    script: list[int | str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    kept: dict[str, dict[str, Any]] = field(default_factory=dict)


def signature_valid(secret: str, header: str, body: bytes) -> bool:
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    expected = hmac.new(
        secret.encode(), f"{parts.get('t', '')}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


@contextmanager
def webhook_receiver(script: list[int | str] | None = None) -> Iterator[Receiver]:
    receiver = Receiver(script=list(script or []))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            event_id = self.headers.get("InBeeld-Event-Id", "")
            valid = signature_valid(receiver.secret, self.headers.get("InBeeld-Signature", ""), raw)
            with lock:
                receiver.requests.append(
                    {"event_id": event_id, "body": json.loads(raw), "valid": valid}
                )
                step = receiver.script.pop(0) if receiver.script else 200
                if valid and step in ("lost", 200, 201, 204):
                    receiver.kept.setdefault(event_id, json.loads(raw))
            status = 401 if not valid else 500 if step == "lost" else int(step)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
