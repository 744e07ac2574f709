"""What the shop's back office does to accounts outside the API: change someone's role, delete an account.

The shop has no endpoint for either; its staff change the users table directly. So does this module,
over a connection of its own, which is what makes "at once" testable: the shop is told nothing.
"""
from __future__ import annotations

import psycopg2


def change_role(database_url: str, user_id: str, role: str) -> None:
    _write(database_url, "UPDATE users SET role = %s WHERE id = %s", (role, user_id))


def delete_account(database_url: str, user_id: str) -> None:
    _write(database_url, "DELETE FROM users WHERE id = %s", (user_id,))


def _write(database_url: str, statement: str, params: tuple) -> None:
    conn = psycopg2.connect(database_url, connect_timeout=5)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(statement, params)
            assert cur.rowcount == 1, f"the back office expected to change one account, it changed {cur.rowcount}"
    finally:
        conn.close()
