"""A CoMensha API stand-in for tests: a real HTTP server on a loopback port, in a thread.

It is an idempotent receiver, as the outbox expects of CoMensha's API: a registration is
kept once per ``Idempotency-Key``, and a repeat gets the same reference back. ``script``
says how it answers each request in turn (a status; "lost": it keeps the registration and
answers 500, as when its answer is lost on the way); after the script: 201.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Receiver:
    url: str = ""
    script: list[int | str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    kept: dict[str, dict[str, Any]] = field(default_factory=dict)


@contextmanager
def comensha_receiver(script: list[int | str] | None = None) -> Iterator[Receiver]:
    receiver = Receiver(script=list(script or []))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            key = self.headers.get("Idempotency-Key", "")
            with lock:
                receiver.requests.append(
                    {
                        "key": key,
                        "body": body,
                        "authorization": self.headers.get("Authorization", ""),
                    }
                )
                step = receiver.script.pop(0) if receiver.script else 201
                if step in ("lost", 201, 200):
                    receiver.kept.setdefault(
                        key, {"body": body, "reference": f"CM-{len(receiver.kept) + 1:04d}"}
                    )
            status = 500 if step == "lost" else int(step)
            answer = (
                {"reference": receiver.kept[key]["reference"]} if status < 300 else {"error": "x"}
            )
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/aanmeldingen"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
