"""The migrator reads migration files strictly: a file it cannot roll back is refused up front."""
import pytest

from shop.migrator import MigrationError, discover, parse_migration


def test_the_shops_migrations_all_have_up_and_down_parts():
    migrations = discover()
    assert [m.name for m in migrations] == sorted(m.name for m in migrations)
    assert all(m.up and m.down for m in migrations)


@pytest.mark.parametrize(
    "text",
    [
        "CREATE TABLE t (id int);",
        "-- migrate:up\nCREATE TABLE t (id int);",
        "-- migrate:down\nDROP TABLE t;\n-- migrate:up\nCREATE TABLE t (id int);",
        "-- migrate:up\n\n-- migrate:down\nDROP TABLE t;",
    ],
)
def test_a_migration_without_both_parts_in_order_is_refused(tmp_path, text):
    path = tmp_path / "0001_broken.sql"
    path.write_text(text)
    with pytest.raises(MigrationError, match="0001_broken.sql"):
        parse_migration(path)


def test_a_badly_named_migration_file_is_refused(tmp_path):
    (tmp_path / "add-users.sql").write_text("-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;")
    with pytest.raises(MigrationError, match="NNNN_what_it_does"):
        discover(tmp_path)
