"""The shop's database busy with someone else's work: a maintenance job holding a table locked."""
from behave import given

from support.wires.refusals import TableLock


@given("a maintenance job holds the catalogue locked")
def step_catalogue_locked(context):
    """A maintenance job holds the catalogue's table locked, so the shop has to wait for it."""
    lock = TableLock(context.stack.services.database_url, "products")
    context.add_cleanup(lock.release)
