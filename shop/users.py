"""Service functions for users and sign-in: validation, storage, listing and access rules."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg2.errors

from shop.auth import MAX_PASSWORD_BYTES, ROLES, Caller, Tokens, hash_password, password_fits, password_matches
from shop.db import Database
from shop.errors import Conflict, Forbidden, InvalidInput, NotFound, TooManyAttempts, Unauthorized
from shop.ids import uuid_or_none
from shop.paging import contains_pattern, page_and_limit
from shop.throttle import SignInThrottle

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 8
SIGN_IN_REFUSED = "Invalid email or password"

_COLUMNS = "id, email, name, role, created_at"


@dataclass(frozen=True)
class User:
    id: uuid.UUID
    email: str
    name: str
    role: str
    created_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "email": self.email,
            "name": self.name,
            "role": self.role,
            "createdAt": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class Page:
    items: list[User]
    page: int
    limit: int
    total: int

    @property
    def pages(self) -> int:
        return -(-self.total // self.limit)


def validate_new_user(data: dict[str, Any]) -> dict[str, str]:
    """Every problem with a sign-up at once, by field."""
    errors: dict[str, str] = {}
    name, email, password = data.get("name"), data.get("email"), data.get("password")
    if not isinstance(name, str) or not name.strip():
        errors["name"] = "Name is required"
    elif len(name) > 200:
        errors["name"] = "Name must be at most 200 characters"
    if not isinstance(email, str) or not email.strip():
        errors["email"] = "Email is required"
    elif not EMAIL.match(email.strip()) or len(email) > 254:
        errors["email"] = "Email must be a valid email address"
    if not isinstance(password, str) or password == "":
        errors["password"] = "Password is required"
    elif (
        len(password) < MIN_PASSWORD_LENGTH
        or not re.search(r"[A-Za-z]", password)
        or not re.search(r"\d", password)
    ):
        errors["password"] = (
            f"Password must be at least {MIN_PASSWORD_LENGTH} characters and include a letter and a digit"
        )
    elif not password_fits(password):
        errors["password"] = f"Password must be at most {MAX_PASSWORD_BYTES} bytes long"
    role = data.get("role", "customer")
    if role not in ROLES:
        errors["role"] = f"Role must be one of: {', '.join(ROLES)}"
    return errors


class Users:
    def __init__(self, db: Database, tokens: Tokens, throttle: SignInThrottle, bcrypt_rounds: int,
                 passes_db: Database | None = None):
        self._db = db
        # Every request's pass is checked against the users table over this small pool of its own, so a
        # request's own database work (and its figures) stays apart from the check every request makes.
        self._passes_db = passes_db or db
        self._tokens = tokens
        self._throttle = throttle
        self._rounds = bcrypt_rounds
        # Compared against when the email is unknown, so both refusals take the same time.
        self._decoy_hash = hash_password("decoy-password-1", bcrypt_rounds)

    def register(self, data: dict[str, Any], caller: Caller | None = None) -> User:
        errors = validate_new_user(data)
        if errors:
            raise InvalidInput("The user could not be created", errors)
        role = data.get("role", "customer")
        if role != "customer" and not (caller and caller.is_admin):
            raise Forbidden("Only an administrator can create an administrator")
        password_hash = hash_password(data["password"], self._rounds)
        try:
            with self._db.transaction() as cur:
                cur.execute(
                    f"INSERT INTO users (email, name, password_hash, role) VALUES (%s, %s, %s, %s)"
                    f" RETURNING {_COLUMNS}",
                    (data["email"].strip(), data["name"].strip(), password_hash, role),
                )
                return User(**cur.fetchone())
        except psycopg2.errors.UniqueViolation:
            raise Conflict("A user with this email already exists") from None

    def sign_in(self, email: Any, password: Any, address: str) -> dict[str, Any]:
        """A pass for the user; `address` is the client's, for the sign-in throttle (shop/throttle.py)."""
        if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
            raise InvalidInput("Email and password are required")
        if self._throttle.is_locked(email, address):
            raise TooManyAttempts("Too many failed sign-in attempts; try again later")
        with self._db.transaction() as cur:
            cur.execute(
                f"SELECT {_COLUMNS}, password_hash FROM users WHERE lower(email) = lower(%s)", (email.strip(),)
            )
            row = cur.fetchone()
            # No account can have a password bcrypt cannot take: such a one is wrong, refused the same way
            # and after the same work as any wrong password.
            fits = password_fits(password)
            tried = password if fits else "not-a-possible-password-1"
            if not password_matches(tried, row["password_hash"] if row else self._decoy_hash) or not row or not fits:
                self._throttle.record_failure(email, address)
                raise Unauthorized(SIGN_IN_REFUSED)
            cur.execute("UPDATE users SET last_signed_in_at = now() WHERE id = %s", (row["id"],))
        self._throttle.clear(email, address)
        row.pop("password_hash")
        user = User(**row)
        token, expires = self._tokens.issue(user.id, user.role)
        return {"token": token, "tokenType": "Bearer", "expiresAt": expires.isoformat(), "user": user.as_json()}

    def close(self) -> None:
        if self._passes_db is not self._db:
            self._passes_db.close()

    def current(self, caller: Caller) -> Caller:
        """The caller as the users table has them now: a deleted user's pass no longer works, and a role
        changed since the pass was issued applies at once. One primary-key read."""
        with self._passes_db.transaction() as cur:
            cur.execute("SELECT role FROM users WHERE id = %s", (caller.user_id,))
            row = cur.fetchone()
        if row is None:
            raise Unauthorized()
        return caller if row["role"] == caller.role else Caller(caller.user_id, row["role"])

    def get(self, user_id: str, caller: Caller) -> User:
        wanted = uuid_or_none(user_id)
        if not caller.is_admin and wanted != caller.user_id:
            raise Forbidden("You can only read your own profile")
        with self._db.transaction() as cur:
            cur.execute(f"SELECT {_COLUMNS} FROM users WHERE id = %s", (wanted,))
            row = cur.fetchone() if wanted else None
        if row is None:
            raise NotFound("User not found")
        return User(**row)

    def list(self, caller: Caller, *, page: Any = 1, limit: Any = 20, search: Any = None) -> Page:
        caller.require_admin()
        page_no, size = page_and_limit(page, limit)
        where, args = "", []
        if search:
            # The text is a parameter, and LIKE's own wildcards in it are escaped: input is data.
            where, args = "WHERE name ILIKE %s", [contains_pattern(str(search))]
        with self._db.transaction() as cur:
            cur.execute(f"SELECT count(*) AS n FROM users {where}", args)
            total = cur.fetchone()["n"]
            cur.execute(
                f"SELECT {_COLUMNS} FROM users {where} ORDER BY created_at, id LIMIT %s OFFSET %s",
                [*args, size, (page_no - 1) * size],
            )
            items = [User(**row) for row in cur.fetchall()]
        return Page(items, page_no, size, total)

