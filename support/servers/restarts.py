"""Stopping, starting and restarting one of the run's own servers mid-scenario: the lever of the fault
scenarios tagged `@use.with_server_restarts=yes`, which run only where the stack can pull it (stack=docker).

The shop must carry on by itself (that is what the scenarios check); the suite's own connections to
that server (its inspectors and the reset between scenarios) are simply opened again afterwards.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

# The servers in the product's words, and their services in docker-compose.test.yml.
SERVERS = {"database server": "postgres", "cache server": "redis", "message broker": "rabbitmq"}
HEALTHY_AGAIN_TIMEOUT = 90.0  # seconds; RabbitMQ takes the longest to boot


class Reconnects(Protocol):
    def reconnect(self) -> None: ...


class ServerRestarts:
    def __init__(self, stack, suite_clients: Iterable[Reconnects], timeout_multiplier: float = 1.0) -> None:
        self._stack = stack
        self._clients = list(suite_clients)
        self._timeout = HEALTHY_AGAIN_TIMEOUT * timeout_multiplier
        self._stopped: list[str] = []

    @property
    def available(self) -> bool:
        return bool(getattr(self._stack, "can_restart_servers", False))

    def restart(self, server: str) -> float:
        """Stops and starts the server's container (its data kept); returns seconds until healthy again."""
        took = self._stack.restart_server(self._service(server), self._timeout)
        self._reconnect_suite()
        return took

    def stop(self, server: str) -> None:
        service = self._service(server)
        self._stack.stop_server(service)
        self._stopped.append(service)

    def start(self, server: str) -> float:
        service = self._service(server)
        took = self._stack.start_server(service, self._timeout)
        self._stopped.remove(service)
        self._reconnect_suite()
        return took

    def start_stopped(self) -> None:
        """Whatever a scenario stopped and did not start again (it failed half-way) runs again after it."""
        while self._stopped:
            self._stack.start_server(self._stopped.pop(), self._timeout)
            self._reconnect_suite()

    def _service(self, server: str) -> str:
        if not self.available:
            raise AssertionError(f"this stack cannot restart the {server}: run with -D stack=docker")
        if server not in SERVERS:
            raise AssertionError(f"there is no {server}; the servers are: {', '.join(SERVERS)}")
        return SERVERS[server]

    def _reconnect_suite(self) -> None:
        for client in self._clients:
            client.reconnect()
