"""Steps that restart one of the run's own servers (features/server_restarts.feature)."""
from behave import when


@when("the {server:Server} restarts")
def step_restart(context, server):
    context.restarts.restart(server)


@when("the {server:Server} stops")
def step_stop(context, server):
    context.restarts.stop(server)
    context.add_cleanup(context.restarts.start_stopped)  # a scenario failing half-way leaves it running


@when("the {server:Server} starts again")
def step_start_again(context, server):
    context.restarts.start(server)
