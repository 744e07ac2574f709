"""Command line: `python -m shop serve | worker | migrate | send-emails | store-documents | expire-orders |
create-admin EMAIL`."""
from __future__ import annotations

import argparse
import logging
import signal
import sys

from shop.config import ConfigError, Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop", description="The shop service.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the HTTP API (settings from environment variables)")
    serve.add_argument("--host", help="address to listen on (default: SHOP_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default: SHOP_PORT or 8000)")
    serve.add_argument("--processes", type=_at_least_one,
                       help="how many processes answer requests (default: SHOP_WEB_PROCESSES or 1; about one per core)")
    migrate = commands.add_parser("migrate", help="apply, roll back or list schema migrations")
    migrate.add_argument("direction", choices=["up", "down", "status"])
    migrate.add_argument("--steps", type=int, default=1, help="how many to roll back with 'down' (default 1)")
    commands.add_parser("worker", help="process order events (ships paid orders) and relay the outbox")
    commands.add_parser("send-emails", help="try once more every email the provider has not accepted yet")
    admin = commands.add_parser(
        "create-admin", help="create an administrator (the password from SHOP_ADMIN_PASSWORD, else standard input)")
    admin.add_argument("email")
    admin.add_argument("--name", default="Administrator", help="the administrator's name (default: Administrator)")
    commands.add_parser("store-documents", help="try once more every order document storage has not taken yet")
    commands.add_parser("expire-orders", help="expire the orders left unpaid longer than SHOP_UNPAID_ORDER_TTL_SECONDS"
                                              " and give their stock back (the web server also does it every"
                                              " SHOP_EXPIRY_INTERVAL_SECONDS)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.from_env()
    except ConfigError as error:
        parser.error(str(error))
    if args.command == "serve":
        _stop_politely_on_sigterm()
        return _serve(settings, args)
    if args.command == "worker":
        _stop_politely_on_sigterm()
        return _worker(settings)
    if args.command == "send-emails":
        return _send_emails(settings)
    if args.command == "create-admin":
        return _create_admin(settings, args)
    if args.command == "store-documents":
        return _store_documents(settings)
    if args.command == "expire-orders":
        return _expire_orders(settings)
    return _migrate(settings, args)


def _at_least_one(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {raw!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _announce(line: str) -> None:
    """A line an orchestrator (or the suite) reads to learn the process is ready, written whole in one write:
    print() writes the text and its newline apart, and a log line from another thread (the worker's, on
    the same pipe) could land between them and glue itself onto the address."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _stop_politely_on_sigterm() -> None:
    """SIGTERM (`docker stop`, Kubernetes, systemd) stops the server or worker as Ctrl-C does: what it holds
    is finished and its connections are closed. Without this a process would die mid-message, and as
    a container's first process (PID 1) it would ignore the signal until the orchestrator killed it."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)


def _serve(settings: Settings, args) -> int:
    host, port = args.host or settings.host, args.port or settings.port
    processes = args.processes or settings.web_processes
    if processes > 1:
        from shop.processes import serve

        return serve(settings, host, port, processes, _announce)
    from shop.server import ShopServer, start

    server: ShopServer = start(settings, host, port)
    _announce(f"shop serving on {server.url}")
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _worker(settings: Settings) -> int:
    import threading

    from shop.bootstrap import bootstrap, declare_topology, make_document_uploader, make_relay, make_worker

    shop = bootstrap(settings)
    declare_topology(shop)
    # The relay and the document uploader run here too: a shop whose web process is down still gets its
    # stored events out and its documents stored.
    relay, worker = make_relay(shop).start_in_background(), make_worker(shop).start_in_background()
    if settings.worker_health_port >= 0:
        from shop.messaging.health import serve_health

        health = serve_health(worker, settings.host, settings.worker_health_port)
        host, port = health.server_address[:2]
        _announce(f"worker health on http://{host}:{port}/health")
    uploader = make_document_uploader(shop).start_in_background()
    _announce(f"order-events worker consuming {shop.topology.order_events_queue}")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        worker.stop()
        relay.stop()
        uploader.stop()
        shop.close()
    return 0


def _send_emails(settings: Settings) -> int:
    from shop.bootstrap import bootstrap

    shop = bootstrap(settings)
    try:
        report = shop.email_outbox.deliver_pending()
    finally:
        shop.close()
    print(f"sent {report.sent}, still pending {report.kept}, rejected by the provider {report.rejected}")
    return 0 if report.kept == 0 else 1


def _create_admin(settings: Settings, args) -> int:
    import os
    import uuid

    from shop.auth import Caller
    from shop.bootstrap import bootstrap
    from shop.errors import ShopError

    password = os.environ.get("SHOP_ADMIN_PASSWORD") or sys.stdin.readline().rstrip("\n")
    shop = bootstrap(settings)
    try:
        # The command line is the operator's own authority: it may create the first administrator.
        operator = Caller(uuid.UUID(int=0), "admin")
        user = shop.users.register({"email": args.email, "name": args.name, "password": password, "role": "admin"},
                                   operator)
    except ShopError as error:
        problems = "".join(f"\n  {name}: {problem}" for name, problem in getattr(error, "errors", {}).items())
        print(f"create-admin failed: {error.message}{problems}", file=sys.stderr)
        return 1
    finally:
        shop.close()
    print(f"administrator {user.email} created ({user.id})")
def _store_documents(settings: Settings) -> int:
    from shop.bootstrap import bootstrap

    shop = bootstrap(settings)
    try:
        outcomes = shop.documents.store_pending(limit=10_000)
    finally:
        shop.close()
    rest = "storage did not take the next one, so the rest still wait" if outcomes["kept"] else "none left waiting"
    print(f"stored {outcomes['stored']}; {rest}")
    return 0 if outcomes["kept"] == 0 else 1


def _expire_orders(settings: Settings) -> int:
    from shop.bootstrap import bootstrap, make_order_expiry

    shop = bootstrap(settings)
    try:
        expired = make_order_expiry(shop).run_once()
    finally:
        shop.close()
    print(f"expired {expired} unpaid order(s) older than {settings.unpaid_order_ttl_seconds:g}s")
    return 0


def _migrate(settings: Settings, args) -> int:
    import psycopg2

    from shop.migrator import MigrationError, Migrator

    try:
        migrator = Migrator(settings.database_url)
        if args.direction == "up":
            done = migrator.up()
            print("\n".join(f"applied {name}" for name in done) or "nothing to apply")
        elif args.direction == "down":
            done = migrator.down(args.steps)
            print("\n".join(f"rolled back {name}" for name in done) or "nothing to roll back")
        else:
            for status in migrator.status():
                when = status.rolled_back_at or status.applied_at
                print(f"{status.name:40} {status.state:12} {when.isoformat() if when else ''}")
    except (MigrationError, psycopg2.Error) as error:
        print(f"migrate {args.direction} failed: {str(error).strip()}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
