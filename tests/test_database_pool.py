"""The shop's connection pool: a request that cannot get a connection in time is told the shop is busy."""
import threading

import pytest

from shop.db import BUSY, Database
from shop.errors import ShopBusy


def test_waiting_for_a_connection_has_a_time_limit(migrated_database):
    db = Database(migrated_database, size=1, wait_seconds=0.2)
    holding, release = threading.Event(), threading.Event()

    def hold_the_only_connection():
        with db.connection():
            holding.set()
            release.wait(timeout=10)

    holder = threading.Thread(target=hold_the_only_connection)
    holder.start()
    try:
        assert holding.wait(timeout=10)
        with pytest.raises(ShopBusy, match=BUSY), db.transaction():
            pass
        assert db.figures().waits == 1
    finally:
        release.set()
        holder.join()
    with db.transaction() as cur:  # the connection is free again: the next request gets it at once
        cur.execute("SELECT 1 AS one")
        assert cur.fetchone()["one"] == 1
    db.close()


def test_a_busy_shop_answers_503_with_retry_after():
    from flask import Flask

    from shop.web.app import create_app

    class NoShop:
        pass

    app: Flask = create_app(NoShop())

    @app.get("/busy")
    def busy():
        raise ShopBusy(BUSY)

    reply = app.test_client().get("/busy")
    assert (reply.status_code, reply.headers.get("Retry-After"), reply.get_json()) == (503, "1", {"error": BUSY})
