"""Forges the bad passes (tokens) scenarios present to the shop: expired, tampered, malformed."""
from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def expired_pass(secret: str, user_id: str, role: str, *, ago: timedelta = timedelta(minutes=1)) -> str:
    """Correctly signed with the shop's secret, but its expiry has passed."""
    now = datetime.now(UTC)
    claims = {"sub": user_id, "role": role, "iat": now - timedelta(hours=1) - ago, "exp": now - ago}
    return jwt.encode(claims, secret, algorithm="HS256")


def with_claims_changed(token: str, **changes) -> str:
    """The same pass with its claims edited and the original signature kept, as a forger would."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    return ".".join([header, _b64(json.dumps(claims, separators=(",", ":")).encode()), signature])


def signed_by_stranger(user_id: str, role: str) -> str:
    """Well-formed and unexpired, but signed with a key the shop does not know."""
    now = datetime.now(UTC)
    claims = {"sub": user_id, "role": role, "iat": now, "exp": now + timedelta(hours=1)}
    return jwt.encode(claims, "a-key-that-is-not-the-shops-signing-secret", algorithm="HS256")


def claims_of(token: str) -> dict:
    """What a pass says, without checking its signature (for assertions about what the shop issued)."""
    return jwt.decode(token, options={"verify_signature": False})


MALFORMED_PASS = "this-is-not-a-pass"


def forged_pass(kind: str, genuine: str, secret: str) -> str | None:
    """A bad pass of the named kind, made from the holder's genuine one (None: no pass at all)."""
    claims = claims_of(genuine)
    forgeries = {
        "missing": lambda: None,
        "malformed": lambda: MALFORMED_PASS,
        "expired": lambda: expired_pass(secret, claims["sub"], claims["role"]),
        "altered to claim the administrator role": lambda: with_claims_changed(genuine, role="admin"),
        "signed by someone other than the shop": lambda: signed_by_stranger(claims["sub"], "admin"),
    }
    if kind not in forgeries:
        raise KeyError(f"no kind of pass is known as {kind!r}; known: {', '.join(forgeries)}")
    return forgeries[kind]()
