"""`make watch` picks the features a change affects."""
from support.commands.watch import affected_features


def test_a_change_reruns_the_features_it_affects(tmp_path):
    (tmp_path / "features").mkdir()
    (tmp_path / "steps").mkdir()
    (tmp_path / "shop").mkdir()
    (tmp_path / "features" / "orders.feature").write_text("Feature: O\n  Scenario: s\n    When Alice orders 2 Mugs\n")
    (tmp_path / "features" / "users.feature").write_text("Feature: U\n  Scenario: s\n    Given Bob signs up\n")
    (tmp_path / "steps" / "orders.py").write_text(
        'from support.orders import check\n@when("{person:Person} orders {quantity:d} {product}")\ndef s(c): pass\n')
    (tmp_path / "steps" / "users.py").write_text('@given("{person} signs up")\ndef s(c): pass\n')
    (tmp_path / "shop" / "orders.py").write_text("")
    (tmp_path / "shop" / "unknown.py").write_text("")
    assert affected_features(tmp_path / "features" / "users.feature", tmp_path) == ["features/users.feature"]
    assert affected_features(tmp_path / "steps" / "orders.py", tmp_path) == ["features/orders.feature"]
    assert affected_features(tmp_path / "shop" / "orders.py", tmp_path) == ["features/orders.feature"]
    assert affected_features(tmp_path / "shop" / "unknown.py", tmp_path) == [
        "features/orders.feature", "features/users.feature"]
