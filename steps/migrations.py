"""Applying and rolling back the shop's migrations, each scenario on its own scratch database."""
from behave import given, then, when

from support.migrations import check as migrations
from support.wires.database import create_scratch_database, drop_database


@given("an empty scratch database")
def step_scratch(context):
    """A new, empty database of its own for this scenario."""
    context.scratch_db = create_scratch_database(context.stack.services.database_url)
    context.add_cleanup(drop_database, context.scratch_db)


@given("a scratch database with every migration applied")
def step_scratch_migrated(context):
    """A database of its own with every migration of the shop applied (its schema noted at each step)."""
    context.scratch_db = create_scratch_database(context.stack.services.database_url)
    context.add_cleanup(drop_database, context.scratch_db)
    context.schema_snapshots = migrations.migrate_fully_with_snapshots(context.scratch_db)


@given("the latest migration has been rolled back")
@when("the latest migration is rolled back")
def step_roll_back_latest(context):
    """The shop's latest migration is rolled back."""
    context.rolled_back = migrations.roll_back(context.scratch_db)


@when("every migration is rolled back")
def step_roll_back_all(context):
    """Every migration of the shop is rolled back."""
    context.rolled_back = migrations.roll_back(context.scratch_db, steps=len(migrations.migration_names()))


@when("the shop's migrations are applied")
def step_apply(context):
    """The shop's migrations are applied."""
    context.applied = migrations.apply(context.scratch_db)


@then("every migration is recorded as applied, in order")
def step_all_applied(context):
    """Checks every migration is recorded as applied, in order."""
    migrations.expect_in_force_in_order(context.scratch_db)


@then("the scratch database has the {table:w} table")
def step_has_table(context, table):
    """Checks the database has this table."""
    migrations.expect_table(context.scratch_db, table)


@then("the latest migration is recorded as rolled back")
def step_latest_rolled_back(context):
    """Checks the latest migration is recorded as rolled back."""
    migrations.expect_latest_state(context.scratch_db, migrations.migration_names()[-1], "rolled back")


@then("every earlier migration is still recorded as applied")
def step_earlier_applied(context):
    """Checks every migration before the latest is still recorded as applied."""
    for name in migrations.migration_names()[:-1]:
        migrations.expect_latest_state(context.scratch_db, name, "applied")


@then("every migration is recorded as rolled back")
def step_all_rolled_back(context):
    """Checks every migration is recorded as rolled back."""
    for name in migrations.migration_names():
        migrations.expect_latest_state(context.scratch_db, name, "rolled back")


@then("the schema is as it was {moment}")
def step_schema_as_at(context, moment):
    """Checks the database's schema is exactly as it was at this moment."""
    migrations.expect_schema(context.scratch_db, context.schema_snapshots[moment], moment)


@then("the scratch database has no tables of the shop")
def step_no_tables(context):
    """Checks the database holds none of the shop's tables."""
    migrations.expect_schema(context.scratch_db, {}, "before any migration")


@then("no migration was applied again")
def step_nothing_applied(context):
    """Checks applying the migrations again applied nothing."""
    migrations.expect_nothing_applied(context.applied, context.scratch_db)
