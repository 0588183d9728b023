"""Load shedding in the web server: a bounded request queue, and a health check that never waits.

gunicorn's threaded worker accepts every connection (up to ``worker_connections``, 1,000) and
queues it for its few threads: under overload every request waits, ``/healthz`` included, and
the threads then work for clients that gave up long ago. This worker bounds that queue **per
worker process**: at most ``threads + queue`` requests are with the thread pool (running or
waiting for a thread); a request beyond that is answered at once, without Django and without a
thread, with ``503 Service Unavailable`` and ``Retry-After``. The bound is counted where the
queue is (gunicorn's main loop), not in a Django middleware: a middleware runs only once a thread
has taken the request, after it has waited.

``GET /healthz`` goes to a thread of its own: it is never behind the queue, and never shed. To
know which request a connection holds without taking a thread, the worker waits in its event
loop until the connection's first bytes arrive and peeks at the request line (``MSG_PEEK``:
the bytes stay for gunicorn's parser).
"""

from __future__ import annotations

import errno
import selectors
import socket
import time
from concurrent import futures
from functools import partial
from typing import Any

from gunicorn.workers.gthread import DEFAULT_WORKER_DATA_TIMEOUT, TConn, ThreadWorker

HEALTH_REQUEST_LINES = (b"GET /healthz ", b"HEAD /healthz ")

# Set by `inbeeld serve` (--queue, --retry-after) before gunicorn starts its workers.
QUEUE_PER_PROCESS = 8
RETRY_AFTER_SECONDS = 5

_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Even geduld / Please wait - InBeeld</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<main>
<h1>Het is nu te druk / It is too busy right now</h1>
<p>InBeeld kan uw verzoek op dit moment niet aannemen. Probeer het over {seconds} seconden
opnieuw.</p>
<p><strong>Stuurde u een melding?</strong> Ga terug en verstuur hetzelfde formulier nog eens.
Uw melding wordt niet dubbel opgeslagen: als zij al was ontvangen, ziet u dezelfde code en
hetzelfde geheim als toen.</p>
<hr>
<p lang="en">InBeeld cannot take your request right now. Please try again in {seconds} seconds.</p>
<p lang="en"><strong>Did you send a report?</strong> Go back and send the same form again. Your
report is not stored twice: if it had already been received, you will see the same code and
secret as then.</p>
</main>
</body></html>
"""

_JSON = (
    '{{"detail": "The server is too busy to take this request; retry after {seconds} '
    'seconds. A request with the same Idempotency-Key and body is not processed twice."}}'
)


def overload_response(request_line: bytes, retry_after: int) -> bytes:
    """The whole 503 answer, headers and body: JSON for the API, a page for everyone else."""
    parts = request_line.split(b" ")
    path = parts[1] if len(parts) > 1 else b"/"
    if path.startswith(b"/api/"):
        body = _JSON.format(seconds=retry_after).encode()
        content_type = b"application/json"
    else:
        body = _PAGE.format(seconds=retry_after).encode()
        content_type = b"text/html; charset=utf-8"
    head = b"\r\n".join(
        [
            b"HTTP/1.1 503 Service Unavailable",
            b"Retry-After: %d" % retry_after,
            b"Content-Type: " + content_type,
            b"Content-Length: %d" % len(body),
            b"Cache-Control: no-store",
            b"X-Content-Type-Options: nosniff",
            b"Content-Security-Policy: default-src 'none'",
            b"Connection: close",
        ]
    )
    return head + b"\r\n\r\n" + body


def _peek(sock: Any) -> bytes:
    """The first bytes the client sent, left in place for the parser ("" when unknown)."""
    try:
        data: bytes = sock.recv(64, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except (OSError, ValueError):  # nothing yet, closed, or a TLS socket (no flags there)
        return b""
    return data


class SheddingWorker(ThreadWorker):  # type: ignore[misc]
    """gunicorn's gthread worker with a bounded queue and a fast lane for ``/healthz``."""

    def init_process(self) -> None:
        self.busy = 0  # requests with the thread pool; changed on the main loop's thread only
        self.limit = self.cfg.threads + QUEUE_PER_PROCESS
        # Two: one client that sends half a health check must not hold up the next one.
        self.health_pool = futures.ThreadPoolExecutor(max_workers=2)
        super().init_process()

    def accept(self, listener: Any) -> None:
        """As gunicorn's, but the connection waits in the event loop for its first bytes (not in
        a thread, as gunicorn's does): the request line then says where the request goes."""
        try:
            client_sock, client_addr = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = TConn(self.cfg, client_sock, client_addr, listener.getsockname())
        # As patient as gunicorn's own worker (its thread's wait, then the event loop's).
        conn.timeout = time.monotonic() + DEFAULT_WORKER_DATA_TIMEOUT + self.cfg.keepalive
        self.pending_conns.append(conn)
        self.poller.register(
            client_sock, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn)
        )

    def enqueue_req(self, conn: Any) -> None:
        request_line = _peek(conn.sock)
        if request_line.startswith(HEALTH_REQUEST_LINES):
            self._submit(self.health_pool, conn, counted=False)
        elif self.busy >= self.limit:
            self._shed(conn, request_line)
        else:
            self.busy += 1
            self._submit(self.tpool, conn, counted=True)

    def _submit(self, pool: futures.ThreadPoolExecutor, conn: Any, counted: bool) -> None:
        done = self._finish_counted if counted else self.finish_request
        future = pool.submit(self.handle, conn)
        future.add_done_callback(lambda fut: self.method_queue.defer(done, conn, fut))

    def _finish_counted(self, conn: Any, future: futures.Future[Any]) -> None:
        self.busy -= 1
        self.finish_request(conn, future)

    def _shed(self, conn: Any, request_line: bytes) -> None:
        """Answer 503 on the event loop's thread: the answer fits the socket's send buffer."""
        sock = conn.sock
        try:
            sock.setblocking(False)
            sock.send(overload_response(request_line.split(b"\r\n")[0], RETRY_AFTER_SECONDS))
            # Read what the client already sent (a small form arrives whole): closing a socket
            # with unread bytes resets the connection, and the client might not see the 503.
            for _ in range(64):
                if not sock.recv(65536):
                    break
        except OSError:
            pass
        finally:
            self.nr_conns -= 1
            _count_shed()
            conn.close()


def _count_shed() -> None:
    from inbeeld.lib.metrics import SHED_REQUESTS

    SHED_REQUESTS.inc()
