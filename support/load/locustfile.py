"""`make load`: Locust's customers browse the catalogue, each with a pass of her own.

Run by support/commands/load.py, which arranges the catalogue and the customers, then starts Locust
headless against the shop (LOAD_PASSES names a file of passes, one a line; LOAD_PRODUCTS the number
of products every answer must list). Locust can also spread this load over several machines
(`--master` / `--worker`), which is how the load grows past one machine.
"""
from __future__ import annotations

import itertools
import os
from pathlib import Path

from locust import HttpUser, constant, task

_PASSES = itertools.cycle(Path(os.environ["LOAD_PASSES"]).read_text().split())
_PRODUCTS = int(os.environ.get("LOAD_PRODUCTS", "0"))


class Customer(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {next(_PASSES)}"

    @task
    def browse_the_catalogue(self):
        with self.client.get("/api/products", name="browse the catalogue", catch_response=True) as reply:
            if reply.status_code != 200:
                reply.failure(f"answered {reply.status_code}")
            elif (total := reply.json()["pagination"]["total"]) != _PRODUCTS:
                reply.failure(f"listed {total} products, expected {_PRODUCTS}")
