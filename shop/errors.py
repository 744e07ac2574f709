"""Errors the service functions raise; the web layer turns each kind into one HTTP answer."""
from __future__ import annotations


class ShopError(Exception):
    """Base of every error a caller of the shop is meant to see."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(ShopError):
    status = 400

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


class Unauthorized(ShopError):
    status = 401

    def __init__(self, message: str = "Unauthorized"):
        super().__init__(message)


class Forbidden(ShopError):
    status = 403

    def __init__(self, message: str = "Forbidden"):
        super().__init__(message)


class NotFound(ShopError):
    status = 404


class Conflict(ShopError):
    status = 409


class InsufficientStock(Conflict):
    """Not enough of a product for an order; `sku` says which, so a page can name the product."""

    def __init__(self, sku: str):
        super().__init__(f"Insufficient inventory for {sku}")
        self.sku = sku


class TooManyAttempts(ShopError):
    status = 429


class Unavailable(ShopError):
    """503: the shop cannot serve the request right now; nothing was done, and the caller is told (Retry-After)
    when to try again."""

    status = 503
    retry_after_seconds: int | None = None


class ShopBusy(Unavailable):
    """503: the shop could not take the request in time (every database connection stayed busy); nothing
    was done, and the caller is told when to try again."""

    retry_after_seconds = 1
