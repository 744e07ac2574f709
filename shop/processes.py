"""The shop's web server as several processes (SHOP_WEB_PROCESSES > 1): gunicorn's pre-fork master and its
threaded (gthread) workers, so the shop's requests use every core rather than one Python interpreter's.

One process stays the default and stays werkzeug's threaded server (shop/server.py), the one the suite
also runs inside its own process. Several is how the shop is deployed on a machine with several cores; a
maintained server does it (gunicorn: the master starts a worker per process, replaces one that dies, and
stops them all politely on SIGTERM) rather than a hand-made fork loop.

What one process did alone, several must share:
- The loops beside the web server (the outbox relay, the expiry of unpaid orders, the document uploader)
  run in one worker only: the one in slot 0. Each worker takes the lowest slot no living worker holds,
  so the replacement of a dead slot-0 worker runs them again. (They are safe side by side anyway: each
  locks the rows it works on; one set is just less polling.)
- The figures the administrators read (GET /api/admin/figures) are the sum over the living workers:
  each worker writes its counts into its own row of memory the master shares with its children, when a
  request comes in and again when it is done, before the answer leaves, so a reader that has its answers
  sees their counts.
  A pool's peak is summed too: the most connections that can have been in use at once.
Each worker's threads are as many as its database pool's connections, so a request never waits for a
connection because its own process took more requests than it has connections for.
"""
from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import socket

from gunicorn.app.base import BaseApplication

from shop.bootstrap import Shop, bootstrap, declare_topology, make_document_uploader, make_order_expiry, make_relay
from shop.catalogue_cache import CacheFigures
from shop.config import Settings
from shop.db import PoolFigures
from shop.web.admin import FIGURES, REQUESTS, RequestFigures
from shop.web.app import create_app

log = logging.getLogger(__name__)

_POOL = [field.name for field in dataclasses.fields(PoolFigures)]
_CACHE = [field.name for field in dataclasses.fields(CacheFigures)]
_REQUESTS = [field.name for field in dataclasses.fields(RequestFigures)]


class FiguresBoard:
    """One row of counts per worker slot, in memory shared by the master's children (made before they fork).

    A row is written field by field: a reader may see one worker's row half old, half new for a moment,
    never a count that was not true at some point."""

    def __init__(self, slots: int):
        self.slots = slots
        self._width = len(_POOL) + len(_CACHE) + len(_REQUESTS)
        self._cells = multiprocessing.RawArray("d", slots * self._width)

    def publish(self, slot: int, pool: PoolFigures, cache: CacheFigures, requests: RequestFigures) -> None:
        row = slot * self._width
        values = [*dataclasses.astuple(pool), *dataclasses.astuple(cache), *dataclasses.astuple(requests)]
        self._cells[row:row + self._width] = values

    def total(self) -> tuple[PoolFigures, CacheFigures, RequestFigures]:
        sums = [0.0] * self._width
        for slot in range(self.slots):
            row = slot * self._width
            for index, value in enumerate(self._cells[row:row + self._width]):
                sums[index] += value
        pool = {name: sums[i] for i, name in enumerate(_POOL)}
        cache = {name: sums[len(_POOL) + i] for i, name in enumerate(_CACHE)}
        requests = {name: sums[len(_POOL) + len(_CACHE) + i] for i, name in enumerate(_REQUESTS)}
        whole = {name: int(value) for name, value in pool.items() if name != "total_wait_seconds"}
        return (PoolFigures(**whole, total_wait_seconds=pool["total_wait_seconds"]),
                CacheFigures(**{name: int(value) for name, value in cache.items()}),
                RequestFigures(**{name: int(value) for name, value in requests.items()}))


class WebProcesses(BaseApplication):
    """`python -m shop serve` with SHOP_WEB_PROCESSES > 1."""

    def __init__(self, settings: Settings, host: str, port: int, processes: int, announce):
        self._settings = settings
        self._processes = processes
        self._announce = announce
        self.board = FiguresBoard(processes)
        self._announced = multiprocessing.Value("b", 0)  # the first worker ready says where the shop is
        self._slot = -1  # in a worker: the slot it holds
        self._loops: list = []
        self._shop: Shop | None = None
        # Each worker listens on a socket of its own on the one port (SO_REUSEPORT), and the kernel spreads
        # new connections evenly over them. On one shared socket, whichever worker woke first took them:
        # a crowd on keep-alive connections came out 3 to 1 (2.0 against 0.6 s of CPU), the busy worker
        # held to one core while the other idled. The port is taken here, in the master, by a socket
        # that never listens (so no connection waits on it) and holds the port while workers come and go.
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._port_holder = socket.socket(family, socket.SOCK_STREAM)
        self._port_holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        self._port_holder.bind((host, port))
        self._port = self._port_holder.getsockname()[1]
        self._address = f"[{host}]" if ":" in host else host
        super().__init__()

    def load_config(self) -> None:
        board_slots = range(self._processes)

        def pre_fork(arbiter, worker):  # in the master: the lowest slot no living worker holds
            taken = {getattr(sibling, "shop_slot", None) for sibling in arbiter.WORKERS.values()}
            worker.shop_slot = min(slot for slot in board_slots if slot not in taken)

        def post_fork(arbiter, worker):  # in the new worker, before it loads the shop
            self._slot = worker.shop_slot

        def post_worker_init(worker):  # listening, and about to answer
            with self._announced.get_lock():
                if not self._announced.value:
                    self._announced.value = 1
                    log.info("answering from %d processes", self._processes)
                    self._announce(f"shop serving on http://{self._address}:{self._port}")

        def worker_exit(arbiter, worker):
            self._stop_worker()

        for name, value in {
            "bind": [f"{self._address}:{self._port}"], "reuse_port": True, "workers": self._processes,
            "worker_class": "gthread", "threads": self._settings.db_pool_size, "keepalive": 5, "graceful_timeout": 10,
            "accesslog": None, "errorlog": "-", "loglevel": "warning", "pre_fork": pre_fork, "post_fork": post_fork,
            "post_worker_init": post_worker_init, "worker_exit": worker_exit,
        }.items():
            self.cfg.set(name, value)

    def load(self):
        """In each worker, after the fork: its own shop (pools, connections) and, in slot 0, the loops."""
        shop = self._shop = bootstrap(self._settings)
        if self._slot == 0:
            declare_topology(shop)
            self._loops = [make_relay(shop), make_order_expiry(shop), make_document_uploader(shop)]
            for loop in self._loops:
                loop.start_in_background()
        board, slot = self.board, self._slot

        def publish() -> None:  # told by the app's count of requests in flight, as a request comes and goes
            board.publish(slot, shop.db.figures(), shop.catalogue_cache.figures(), app.extensions[REQUESTS].figures())

        app = create_app(shop, on_request_count=publish)

        def all_processes_figures():
            publish()  # this request's own counts are not in its row yet
            return board.total()

        app.extensions[FIGURES] = all_processes_figures
        return app

    def _stop_worker(self) -> None:
        for loop in self._loops:
            loop.stop()
        if self._shop is not None:
            self._shop.close()


def serve(settings: Settings, host: str, port: int, processes: int, announce) -> int:
    """Runs until SIGTERM or Ctrl-C; gunicorn exits the process with its own status."""
    WebProcesses(settings, host, port, processes, announce).run()
    return 0
