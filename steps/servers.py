"""Steps that restart one of the run's own servers (features/server_restarts.feature)."""
from behave import when


@when("the {server:Server} restarts")
def step_restart(context, server):
    """One of the servers the shop depends on (database, cache, broker) restarts."""
    context.restarts.restart(server)


@when("the {server:Server} stops")
def step_stop(context, server):
    """One of the servers the shop depends on stops."""
    context.restarts.stop(server)
    context.add_cleanup(context.restarts.start_stopped)  # a scenario failing half-way leaves it running


@when("the {server:Server} starts again")
def step_start_again(context, server):
    """The stopped server starts again."""
    context.restarts.start(server)
