"""Passwords (bcrypt) and signed, expiring passes (JWT) for the shop's users."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import bcrypt
import jwt

from shop.errors import Forbidden, Unauthorized

ALGORITHM = "HS256"
ROLES = ("admin", "customer")
# bcrypt reads at most 72 bytes of a password (bcrypt 5 refuses more rather than ignore the rest).
MAX_PASSWORD_BYTES = 72


def password_fits(password: str) -> bool:
    """Whether bcrypt can take the password whole: at most 72 bytes once encoded as UTF-8."""
    return len(password.encode()) <= MAX_PASSWORD_BYTES


def hash_password(password: str, rounds: int) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


def password_matches(password: str, password_hash: str) -> bool:
    return bcrypt.checkpw(password.encode(), password_hash.encode())


@dataclass(frozen=True)
class Caller:
    """Who is making a request, as proven by their token."""

    user_id: uuid.UUID
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("This needs an administrator")


class Tokens:
    def __init__(self, secret: str, ttl_seconds: int):
        self._secret = secret
        self.ttl = timedelta(seconds=ttl_seconds)

    def issue(self, user_id: uuid.UUID, role: str, *, now: datetime | None = None) -> tuple[str, datetime]:
        issued = now or datetime.now(UTC)
        expires = issued + self.ttl
        claims = {"sub": str(user_id), "role": role, "iat": issued, "exp": expires}
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM), expires

    def verify(self, token: str) -> Caller:
        """The caller a token proves; Unauthorized for a missing, malformed, expired or tampered one."""
        try:
            claims = jwt.decode(
                token, self._secret, algorithms=[ALGORITHM], options={"require": ["sub", "exp", "role"]}
            )
            caller = Caller(uuid.UUID(claims["sub"]), claims["role"])
        except (jwt.InvalidTokenError, ValueError, TypeError):
            raise Unauthorized() from None
        if caller.role not in ROLES:
            raise Unauthorized()
        return caller

    def caller_from_header(self, header: str | None) -> Caller:
        scheme, _, token = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized()
        return self.verify(token.strip())
