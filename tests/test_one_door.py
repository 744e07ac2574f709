"""One door into the shop under test: support/door.py is the only suite module that imports `shop`.

The rest of the suite knows the shop as its operators and customers do (its commands, its settings, its
HTTP API and the wires it leaves effects on), so it can accept a shop running anywhere.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOOR = ROOT / "support" / "door.py"


def suite_modules() -> list[Path]:
    return [ROOT / "environment.py", *sorted((ROOT / "steps").rglob("*.py")), *sorted((ROOT / "support").rglob("*.py"))]


def shop_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "__import__", "import_module") and node.args and isinstance(node.args[0], ast.Constant):
            names = [str(node.args[0].value)]
        else:
            continue
        found += [f"line {node.lineno}: {name}" for name in names if name == "shop" or name.startswith("shop.")]
    return found


def test_only_the_door_imports_the_shop():
    offenders = {str(path.relative_to(ROOT)): found for path in suite_modules() if path != DOOR
                 for found in [shop_imports(path)] if found}
    assert not offenders, f"only support/door.py may import the shop; these do too: {offenders}"


def test_the_door_is_where_the_shop_is_imported():
    assert shop_imports(DOOR), "support/door.py no longer imports the shop: is the door somewhere else now?"


def test_steps_never_reach_into_the_shop_object():
    reaching = [f"{path.relative_to(ROOT)}:{number}" for path in suite_modules()
                for number, line in enumerate(path.read_text().splitlines(), 1) if ".shop.shop" in line]
    assert not reaching, f"steps and hooks use the door's operations, not the shop's insides: {reaching}"


def test_the_check_sees_an_import(tmp_path):
    module = tmp_path / "sneaky.py"
    module.write_text("import json\nfrom shop.auth import Caller\nimport shop\n")
    assert shop_imports(module) == ["line 2: shop.auth", "line 3: shop"]
