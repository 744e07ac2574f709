"""The worker's health over HTTP (GET /health), for an orchestrator's probes and for acceptance tests:
whether it has a consumer on its queue and whether it is handling a delivery right now."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from shop.messaging.worker import OrderEventsWorker


def serve_health(worker: OrderEventsWorker, host: str, port: int) -> ThreadingHTTPServer:
    """Answer on host:port (0: any free port) in a background thread; `server_address` says where."""

    class Health(BaseHTTPRequestHandler):
        # Keep-alive (every answer says its length): a prober asking every few milliseconds keeps one
        # connection instead of opening one a question. Each answer leaves in one write, with no delay: on
        # a kept connection, a body written after its headers waited for the prober's delayed ACK (Nagle's
        # algorithm), 40 ms an answer.
        protocol_version = "HTTP/1.1"
        wbufsize = -1  # buffered: headers and body go out together when the answer is done
        disable_nagle_algorithm = True

        def do_GET(self):  # noqa: N802 - the name http.server calls
            if self.path != "/health":
                self.send_error(404)
                return
            consuming = worker.consuming.is_set()
            body = json.dumps({"consuming": consuming, "busy": worker.busy}).encode()
            self.send_response(200 if consuming else 503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # probes every few milliseconds would drown the worker's log
            pass

    server = ThreadingHTTPServer((host, port), Health)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="worker-health", daemon=True).start()
    return server
