"""Service functions for the catalogue: administrators add products and change them; anyone signed in browses.

Browsing is served through the catalogue cache (its first pages; searches are not cached, so nobody can fill
the cache with made-up queries); every change here invalidates it once committed.
"""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import psycopg2.errors

from shop.auth import Caller
from shop.catalogue_cache import CatalogueCache, as_json_text
from shop.db import Database
from shop.errors import Conflict, InvalidInput, NotFound
from shop.money import as_text, parse_amount
from shop.paging import contains_pattern, page_and_limit, pagination

SKU = re.compile(r"[A-Z0-9][A-Z0-9-]{1,31}")
MAX_STOCK = 1_000_000
CHANGEABLE = ("name", "price", "stock")
# Listings kept in the cache: the first pages of the unfiltered catalogue, at any page size (at most
# CACHED_PAGES x 100 keys per generation, each expiring within the catalogue TTL).
CACHED_PAGES = 5

_COLUMNS = "id, sku, name, price, stock"


@dataclass(frozen=True)
class Product:
    id: uuid.UUID
    sku: str
    name: str
    price: Decimal
    stock: int

    def as_json(self) -> dict[str, Any]:
        return {"id": str(self.id), "sku": self.sku, "name": self.name, "price": as_text(self.price),
                "stock": self.stock}


def validate_product(data: dict[str, Any], *, partial: bool = False) -> tuple[dict[str, Any], dict[str, str]]:
    """The fields as the shop stores them, and every problem with them at once, by field."""
    fields: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if not partial:
        sku = data.get("sku")
        if not isinstance(sku, str) or not SKU.fullmatch(sku):
            errors["sku"] = "SKU must be 2 to 32 capital letters, digits or dashes"
        else:
            fields["sku"] = sku
    if "name" in data or not partial:
        name = data.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            errors["name"] = "Name is required, at most 200 characters"
        else:
            fields["name"] = name.strip()
    if "price" in data or not partial:
        try:
            fields["price"] = parse_amount(data.get("price"))
        except ValueError:
            errors["price"] = 'Price must be an amount such as "25.00"'
    if "stock" in data or not partial:
        stock = data.get("stock")
        if not isinstance(stock, int) or isinstance(stock, bool) or not 0 <= stock <= MAX_STOCK:
            errors["stock"] = f"Stock must be a whole number from 0 to {MAX_STOCK}"
        else:
            fields["stock"] = stock
    if partial:
        for unknown in sorted(set(data) - set(CHANGEABLE)):
            errors[unknown] = f"Only {', '.join(CHANGEABLE)} can be changed"
        if not data:
            errors["product"] = f"Say what to change: {', '.join(CHANGEABLE)}"
    return fields, errors


class Products:
    def __init__(self, db: Database, cache: CatalogueCache):
        self._db = db
        self._cache = cache

    def create(self, data: dict[str, Any], caller: Caller) -> Product:
        caller.require_admin()
        fields, errors = validate_product(data)
        if errors:
            raise InvalidInput("The product could not be created", errors)
        try:
            with self._db.transaction() as cur:
                cur.execute(
                    f"INSERT INTO products (sku, name, price, stock) VALUES (%(sku)s, %(name)s, %(price)s, %(stock)s)"
                    f" RETURNING {_COLUMNS}",
                    fields,
                )
                product = Product(**cur.fetchone())
        except psycopg2.errors.UniqueViolation:
            raise Conflict(f"A product with SKU {fields['sku']} already exists") from None
        self._cache.invalidate()
        return product

    def change(self, sku: str, data: dict[str, Any], caller: Caller) -> Product:
        caller.require_admin()
        fields, errors = validate_product(data, partial=True)
        if errors:
            raise InvalidInput("The product could not be changed", errors)
        assignments = ", ".join(f"{name} = %({name})s" for name in fields)
        with self._db.transaction() as cur:
            cur.execute(
                f"UPDATE products SET {assignments}, updated_at = now() WHERE sku = %(sku)s RETURNING {_COLUMNS}",
                {**fields, "sku": sku},
            )
            row = cur.fetchone()
        if row is None:
            raise NotFound("Product not found")
        self._cache.invalidate()
        return Product(**row)

    def by_sku(self, skus: list[str]) -> dict[str, Product]:
        """The products with these SKUs, as stored now (unknown SKUs are left out)."""
        with self._db.transaction() as cur:
            cur.execute(f"SELECT {_COLUMNS} FROM products WHERE sku = ANY(%s)", (list(skus),))
            return {row["sku"]: Product(**row) for row in cur.fetchall()}

    def browse(self, *, page: Any = 1, limit: Any = 20, name: Any = None) -> dict[str, Any]:
        """A page of the catalogue, by name, as the API shows it; from the cache when it is there."""
        return json.loads(self.browse_json(page=page, limit=limit, name=name))

    def browse_json(self, *, page: Any = 1, limit: Any = 20, name: Any = None) -> str:
        """The same page as the JSON text the API sends: a cached listing as it was kept."""
        page_no, size = page_and_limit(page, limit)
        query = {"page": page_no, "limit": size, "name": str(name or "")}
        load = lambda: self._load_listing(page_no, size, query["name"])  # noqa: E731
        if query["name"] or page_no > CACHED_PAGES:
            # Free-text searches and far pages are as many as callers care to invent: caching them would
            # let anyone fill Redis. They are cheap indexed reads; only the common listings are kept.
            return as_json_text(load())
        return self._cache.fetch(query, load)

    def _load_listing(self, page: int, limit: int, name: str) -> dict[str, Any]:
        where, args = "", []
        if name:
            where, args = "WHERE name ILIKE %s", [contains_pattern(name)]
        with self._db.transaction() as cur:
            cur.execute(f"SELECT count(*) AS n FROM products {where}", args)
            total = cur.fetchone()["n"]
            cur.execute(
                f"SELECT {_COLUMNS} FROM products {where} ORDER BY lower(name), sku LIMIT %s OFFSET %s",
                [*args, limit, (page - 1) * limit],
            )
            items = [Product(**row).as_json() for row in cur.fetchall()]
        return {"data": items, "pagination": pagination(page, limit, total)}
