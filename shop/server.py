"""Serves the shop over HTTP with a real multi-threaded WSGI server, in the foreground or a thread."""
from __future__ import annotations

import logging
import threading

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from shop.bootstrap import Shop, bootstrap, declare_topology, make_document_uploader, make_order_expiry, make_relay
from shop.config import Settings
from shop.documents import DocumentUploader
from shop.expiry import OrderExpiry
from shop.messaging.relay import OutboxRelay
from shop.web.app import create_app


class _QuietHandler(WSGIRequestHandler):
    """Access lines go to the `shop.access` logger at DEBUG instead of stderr for every request."""

    def log_request(self, code="-", size="-"):
        logging.getLogger("shop.access").debug('"%s" %s %s', self.requestline, code, size)


class ShopServer:
    """The web application, plus the outbox relay that publishes the events its requests store, the loop
    that expires unpaid orders, and the uploader that retries the documents storage has not taken yet."""

    def __init__(self, shop: Shop, host: str = "127.0.0.1", port: int = 0, relay: OutboxRelay | None = None,
                 expiry: OrderExpiry | None = None, uploader: DocumentUploader | None = None):
        self.shop = shop
        self.relay = relay
        self.expiry = expiry
        self.uploader = uploader
        app = create_app(shop)
        self._server: BaseWSGIServer = make_server(host, port, app, threaded=True, request_handler=_QuietHandler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start_in_background(self) -> ShopServer:
        if self.relay is not None:
            self.relay.start_in_background()
        if self.expiry is not None:
            self.expiry.start_in_background()
        if self.uploader is not None:
            self.uploader.start_in_background()
        # Stopping waits for the serving loop's next look at its stop flag: every 50 ms, not the default 0.5 s.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="shop-http", daemon=True)
        self._thread.start()
        return self

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C raises KeyboardInterrupt here)."""
        while self._thread and self._thread.is_alive():
            self._thread.join(timeout=0.5)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)
        if self.relay is not None:
            self.relay.stop()
        if self.expiry is not None:
            self.expiry.stop()
        if self.uploader is not None:
            self.uploader.stop()
        self.shop.close()


def start(settings: Settings, host: str = "127.0.0.1", port: int = 0) -> ShopServer:
    """Start the shop on a free port (port 0) in a background thread."""
    shop = bootstrap(settings)
    declare_topology(shop)
    return ShopServer(
        shop, host, port, relay=make_relay(shop), expiry=make_order_expiry(shop), uploader=make_document_uploader(shop)
    ).start_in_background()
