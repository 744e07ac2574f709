"""The scenario data builders: Faker loads only the providers they use, and a run's seed gives the same data
as Faker with every provider would (so a seed printed by an earlier run still replays it)."""
from __future__ import annotations

from faker import Faker

from support import builders


def _sample(seed: int) -> list:
    builders.seed(seed)
    return [builders.person("Alice"), builders.person(role="admin"), builders.people(2), builders.client_address(),
            builders.unknown_id(), builders.sku_for("Kettle"), builders.search_words(2), builders.product_name(),
            builders.post_titles(2), builders.paragraph(), builders.sentence(), builders.strong_password()]


def test_every_builder_gives_what_faker_with_every_provider_gives(monkeypatch):
    lean = _sample(17979)
    monkeypatch.setattr(builders, "_faker", Faker(["en_GB", "en_US", "de_DE", "es_ES", "it_IT"]))
    assert _sample(17979) == lean


def test_the_same_seed_gives_the_same_data():
    assert _sample(4242) == _sample(4242)
    assert _sample(4242) != _sample(4243)
