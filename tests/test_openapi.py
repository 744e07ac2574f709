"""The OpenAPI document and the routes the shop really serves must list the same operations."""
import re

from shop.web.app import create_app
from shop.web.openapi import DOCUMENT


def _routed() -> set[tuple[str, str]]:
    app = create_app(shop=None)
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("storefront"):
            continue  # the storefront's HTML pages are for people, not part of the API
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        found |= {(method.lower(), path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def _documented() -> set[tuple[str, str]]:
    return {(method, path) for path, ops in DOCUMENT["paths"].items() for method in ops}


def test_every_route_is_documented_and_every_documented_operation_is_routed():
    assert _routed() == _documented(), {
        "routed but undocumented": sorted(_routed() - _documented()),
        "documented but not routed": sorted(_documented() - _routed()),
    }


def test_path_parameters_in_templates_are_declared():
    for path, ops in DOCUMENT["paths"].items():
        names = set(re.findall(r"{([^}]+)}", path))
        for method, op in ops.items():
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert names == declared, f"{method.upper()} {path}: template {names}, declared {declared}"


def test_every_reference_resolves():
    schemas = DOCUMENT["components"]["schemas"]
    refs = re.findall(r"#/components/schemas/(\w+)", repr(DOCUMENT))
    assert refs and all(ref in schemas for ref in refs), sorted(set(refs) - set(schemas))
