"""The provider fakes served over real HTTP on a loopback port, for a shop running in other processes.

The same fakes and the same switchboard as in process (support/fakes/boundary.py), only reached over
the wire: the shop is configured with `EMAIL_API_BASE` and `PAYMENTS_API_BASE` pointing here. The
server lives for the whole run (the shop's configuration cannot change between scenarios); each
scenario attaches its own switchboard. What a fake means as a `requests` error becomes what the shop
would meet on a real network: a refused or unclaimed call is a connection closed without an answer,
a withheld answer is held until the shop stops waiting (its own read timeout, measured and logged).
"""
from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from support.fakes.boundary import HOLD_AT_MOST, LostAnswer, ProviderRequest, Switchboard


class HttpFront:
    def __init__(self, port: int = 0):
        front = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_request(self):
                front._handle(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_request  # noqa: N815

            def log_message(self, *args):  # every call is in the scenario's provider log instead
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.email_base = f"{self.base_url}/email-provider"
        self.payments_base = f"{self.base_url}/payment-provider"
        self._switchboard: Switchboard | None = None
        self.between_scenarios: list[str] = []
        self._thread = threading.Thread(target=self._server.serve_forever, name="provider-fakes", daemon=True)
        self._thread.start()

    def attach(self, switchboard: Switchboard) -> None:
        self._switchboard = switchboard

    def detach(self) -> None:
        self._switchboard = None

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode(errors="replace") if length else ""
        request = ProviderRequest(
            handler.command, self.base_url + handler.path, dict(handler.headers.items()), body, None,
            hold=lambda seconds: _hold(handler.connection, seconds),
        )
        switchboard = self._switchboard
        if switchboard is None:
            # A call between scenarios (late work of the last one): nobody is there to answer it.
            self.between_scenarios.append(f"{request.method} {request.url}")
            _hang_up(handler)
            return
        try:
            status, headers, text = switchboard.dispatch(request)
        except LostAnswer:
            _hang_up(handler)  # the work is done; the answer is lost on its way: the connection drops
            return
        except requests.ReadTimeout:
            _hold(handler.connection, HOLD_AT_MOST)  # the answer never comes; the shop decides when to give up
            _hang_up(handler)
            return
        except requests.RequestException:
            _hang_up(handler)  # down, or claimed by no fake: the connection closes without an answer
            return
        payload = text.encode()
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)


def _hold(connection: socket.socket, seconds: float) -> bool:
    """Wait up to `seconds` without answering; False as soon as the caller hangs up."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select([connection], [], [], left)
        if readable:
            try:
                if not connection.recv(1, socket.MSG_PEEK):
                    return False  # the caller closed its end: it stopped waiting
            except OSError:
                return False
            return True  # bytes of a pipelined request: the caller is still there (requests never does this)
    return True


def _hang_up(handler: BaseHTTPRequestHandler) -> None:
    handler.close_connection = True
    with contextlib.suppress(OSError):
        handler.connection.shutdown(socket.SHUT_RDWR)
