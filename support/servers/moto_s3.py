"""moto's S3 server, and only S3: `python -m support.servers.moto_s3 -H HOST -p PORT`.

moto's own `moto.server` serves every AWS service it fakes. Before each request reaches S3 it works out
which service is meant: it lists moto's package folder (about 200 entries, one stat each) and tries the
address against every service's address patterns, on every request. That took 2 ms of the 5 ms a request
to it costs. Here its S3 application (the same one `moto.server` would pick for the suite's signed S3
requests) answers directly, under moto's own request handler and Werkzeug's threaded server, as there.

`moto.server` had this as `moto_server s3` until moto 5; moto 5 dropped the service argument.
"""
from __future__ import annotations

import argparse
import os

from moto.moto_server.werkzeug_app import create_backend_app
from moto.server import MotoRequestHandler
from werkzeug.serving import run_simple


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m support.servers.moto_s3", description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("MOTO_PORT", str(args.port))  # as moto.server does: moto's own links name the port
    run_simple(args.host, args.port, create_backend_app("s3"), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
