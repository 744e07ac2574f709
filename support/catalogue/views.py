"""The kinds of catalogue listing a customer may be looking at (everything, a search, one page), so that
freshness after a change is proven for each kind, not only for the plain listing."""
from __future__ import annotations

from dataclasses import dataclass

from support.wires.api_client import Reply, ShopApi


@dataclass(frozen=True)
class CatalogueView:
    """What a customer asked the catalogue for: everything, a search by name, or one page of it."""

    description: str
    page: int | None = None
    limit: int | None = None
    name: str | None = None

    def read(self, api: ShopApi, token: str | None) -> Reply:
        return api.browse_products(token, page=self.page, limit=self.limit, name=self.name)


def catalogue_view(description: str) -> CatalogueView:
    """'the whole catalogue', 'a search for "mug"', or 'page 2, 2 per page'."""
    text = description.strip()
    if text == "the whole catalogue":
        return CatalogueView(text)
    if text.startswith("a search for "):
        return CatalogueView(text, name=text.removeprefix("a search for ").strip('"'))
    if text.startswith("page "):
        page, _, rest = text.removeprefix("page ").partition(", ")
        return CatalogueView(text, page=int(page), limit=int(rest.split(" per page")[0]))
    raise ValueError(f"no catalogue listing is known as {description!r}; say 'the whole catalogue', "
                     f"'a search for \"...\"' or 'page N, M per page'")
