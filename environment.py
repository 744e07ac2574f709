"""behave's hooks for the suite: each is a line or three handing off to support/.

Three parts, as in behave's own repository: active tags, fixtures, hooks.
What the suite keeps on `context` is listed in support/world.py.
"""
import gc
import sys

from behave import fixture, use_fixture
from behave.fixture import use_fixture_by_tag
from behave.tag_matcher import ActiveTagMatcher

from support import reporting, shards, world
from support import scenario_order as ordering
from support.catalogue.arrange import Catalogue
from support.channels import ApiChannel
from support.fakes import ProviderFakes
from support.orders.arrange import Orders
from support.people.arrange import Cast
from support.people.operator import Operator
from support.polling import scaled
from support.posts.arrange import PostRegister
from support.reports import outcomes
from support.reports.step_evidence import EXCHANGE_RULE, StepEvidence
from support.servers.shop_processes import ShopUnavailable
from support.servers.stack import StackUnavailable
from support.servers.suite import banner, scenario_api, start_suite
from support.settings import SettingsError, SuiteSettings
from support.step_types import register_all
from support.storefront import evidence
from support.storefront.browser import Browsers
from support.storefront.channel import StorefrontChannel
from support.watchdog import FAILED, FailureStreak, Watchdog, failure_of

register_all()
gc.disable()  # until the run has started: see _collect_garbage_less_often

# -- ACTIVE TAGS ---------------------------------------------------------------------------------
# `@not.with_shop=url`: the scenario needs what only a shop the suite runs itself offers (a link it
# can cut, a worker it can stop); skipped, with that reason printed, when the shop runs elsewhere.
# `@use.with_server_restarts=yes`: the scenario restarts one of the run's servers (stack=docker).
SKIP_REASONS = {
    "shop": "the shop runs elsewhere (shop=url): the suite cannot cut its links or stop its worker",
    "server_restarts": "this stack cannot restart its servers (they are restarted with -D stack=docker)",
    "own_process": "the crowd and an in-process shop would share one Python interpreter, so the figures would "
                   "measure the suite, not the shop (runs with -D shop=process, as in make test)",
}


def skip_reason(context, tags) -> str | None:
    return _skip_reason(context.settings, context.restarts.available, tags)


def _skip_reason(settings, restarts: bool, tags) -> str | None:
    values = {"shop": settings.shop, "server_restarts": "yes" if restarts else "no",
              "own_process": "no" if settings.shop == "inprocess" else "yes"}
    for category, reason in SKIP_REASONS.items():
        if ActiveTagMatcher({category: values[category]}).should_exclude_with(tags):
            return reason
    return None


# -- FIXTURES ------------------------------------------------------------------------------------
@fixture
def suite_runtime(context):
    runtime = start_suite(context.settings)
    context.stack, context.shop, context.world_reset = runtime.stack, runtime.shop, runtime.world_reset
    context.inspector, context.cache = runtime.inspector, runtime.cache
    context.cache_link, context.order_events = runtime.cache_link, runtime.order_events
    context.refusals = runtime.refusals
    context.runtime = runtime
    context.restarts = runtime.restarts
    context.storage, context.storage_link = runtime.storage, runtime.storage_link
    print(banner(context.settings, runtime), file=sys.stderr)
    yield runtime
    runtime.close()


@fixture
def scenario_world(context):
    context.world_reset.reset(queues_empty=context.order_events.queues_known_empty())
    context.log_mark = len(context.shop.log.lines)
    context.api = scenario_api(context.runtime)
    context.operator = Operator(context.api, context.runtime.operator)
    context.cast = Cast(context.api, context.operator)
    context.catalogue = Catalogue(context.api, context.operator)
    context.orders = Orders(context.api, context.catalogue, context.cast, context.operator)
    context.posts, context.statements = PostRegister(context.api, context.cast), {}
    context.evidence = StepEvidence(context.api.exchanges, context.fakes.switchboard.calls, context.inspector)
    context.channel = ApiChannel(context.api, context.cast, context.catalogue, context.orders)  # @fixture.browser
    yield
    context.evidence.finish()
    reporting.attach_parts("HTTP exchanges", [e.as_text() for e in context.api.exchanges], EXCHANGE_RULE)
    context.api.close()
    context.order_events.settle(strict=False)  # strictly checked after the last step (see after_step)
    reporting.attach_text("Order events", context.order_events.report())
    reporting.attach_text("Stored objects", context.storage.report())
    context.order_events.forget_scenario(passed=context.scenario.status.name == "passed")
    if context.scenario.status.name in FAILED:  # a hook error or a timeout too
        reporting.attach_text("The shop's log", "\n".join(context.shop.log.lines[context.log_mark:]))
        # At most 5 s, and within the teardown's own bound (step_timeout; both scaled alike).
        left = context.operator.await_requests_left_in_flight(min(5.0, context.settings.step_timeout / 2))
        reporting.attach_text("Requests left in flight", left)


@fixture
def provider_fakes(context):
    context.fakes = ProviderFakes(context.runtime.fakes_front).start()
    yield
    context.fakes.stop()
    reporting.attach_text("Provider calls", context.fakes.call_log())
    context.fakes.expect_no_unexpected_calls()
    context.fakes.expect_scripts_used()


@fixture
def browser_launcher(context):
    context.browsers = Browsers(context.settings.chromium)  # Chromium starts with the first @ui scenario
    evidence.announce_unavailable(context.browsers)
    yield
    context.browsers.close()
    evidence.report_skipped(context.browsers)


@fixture
def browser(context):
    """@fixture.browser: the scenario's customers act through the storefront, each in a fresh profile."""
    if context.browsers.unavailable:
        context.scenario.skip(reason=evidence.skip(context.browsers))
        yield None
        return
    context.browser = context.browsers.new_session()
    context.channel = StorefrontChannel(context.browser, context.shop.url, context.cast, context.catalogue,
                                        context.orders)
    yield context.browser
    context.browser.close()


FIXTURES = {"fixture.browser": browser}


# -- HOOKS ---------------------------------------------------------------------------------------
def before_all(context):
    context.watchdog, context.failure_streak = Watchdog(0), FailureStreak(0)  # until the settings are read
    try:
        context.settings = SuiteSettings.from_sources(context.config.userdata)
        # The scenarios this run will skip weigh nothing in its shard's balance (the servers are not up yet:
        # whether they can be restarted is guessed from the settings).
        settings = context.settings
        restarts = settings.stack == "docker" or settings.shop == "container"
        if share := shards.apply_share(context._runner.features, settings.shard_share, skipped=lambda scenario:
                                       _skip_reason(settings, restarts, scenario.effective_tags) is not None):
            print(share, file=sys.stderr)
        context.timings = shards.ScenarioTimings()
        context.claims = shards.Claims(context.settings.claims) if context.settings.claims else None
        context.outcomes = outcomes.RunLedger()
        use_fixture(suite_runtime, context)
        context.watchdog = Watchdog(scaled(context.settings.step_timeout))
        context.failure_streak = FailureStreak(context.settings.stop_after_same_failures)
        use_fixture(browser_launcher, context)
        reporting.record_run(context.settings, context.stack.services)
        _collect_garbage_less_often()
        if context.settings.order == "random":
            ordering.shuffle(context._runner.features, context.settings.seed)
        if context.claims:
            shards.walk_order(context._runner.features, context.config.userdata.get("worker_id", ""))
    except (SettingsError, StackUnavailable, ShopUnavailable) as error:
        context.abort(reason=str(error))
        print(f"\nThe suite cannot start:\n{error}\n", file=sys.stderr)


def _collect_garbage_less_often() -> None:
    """What the run has loaded by its start (behave, the features, the shop, boto3's models, Faker's locales:
    about 250,000 objects) lives until its end: collected not while loading (four full passes, 0.3 s) and
    kept out of every later pass, which also run less often. About 1 s of a run went to collecting garbage;
    now about 0.5 s."""
    gc.freeze()
    gc.set_threshold(10_000, 50, 1000)
    gc.enable()


def before_feature(context, feature):
    context.watchdog.disarm()
    if context.settings.order == "random":
        ordering.shuffle_feature(feature, context.settings.seed)
    outcomes.prepare(feature, context.settings.retries, context.outcomes)  # retries, quarantine
    if getattr(context, "claims", None):  # last, so outermost: another worker's scenario does not start here
        context.claims.wrap(feature)


def after_feature(context, feature):
    if getattr(context, "claims", None):
        context.claims.drop_others(feature)


def before_scenario(context, scenario):
    if reason := skip_reason(context, scenario.effective_tags):
        scenario.skip(reason=reason)
        print(f"  skipped: {reason}", file=sys.stderr)
        return
    context.watchdog.arm(f"setting up the scenario {scenario.name!r}")
    # The fakes first, so they are stopped last: the world's teardown drains the order events, whose
    # work (a shipping email) must still reach the fakes, not the real world.
    use_fixture(provider_fakes, context)
    use_fixture(scenario_world, context)
    for tag in scenario.effective_tags:  # @fixture.* on the feature or the scenario: one per scenario
        if tag.startswith("fixture."):
            use_fixture_by_tag(tag, context, FIXTURES)


def before_step(context, step):
    context.watchdog.arm(f"the step '{step.keyword} {step.name}' of the scenario {context.scenario.name!r}")
    context.evidence.mark()


def after_step(context, step):
    context.evidence.attach()  # what this step caused, on this step's page of the report
    # A shop process that died stops the run with one message (which process, its exit code, its log).
    try:
        context.shop.check_alive()
    except ShopUnavailable as died:
        context.abort(reason=str(died))
        print(f"\nThe run stops:\n{died}\n", file=sys.stderr)
        raise AssertionError(str(died)) from None
    # Fails the step during which the shop called a URL no fake claims, even if the shop swallowed the
    # refusal; the provider_fakes fixture checks once more for calls made after the last step.
    context.fakes.expect_no_unexpected_calls()
    # @ui: the browser's console errors fail the step; a failing step and the last one get screenshots.
    if getattr(context, "browser", None):
        evidence.after_step(context.browser, step, last=step is context.scenario.steps[-1])
    # After the last step, the scenario's asynchronous work must finish and leave the queues empty;
    # checked here, not in a teardown, so a failure fails the step in behave and in Allure alike.
    if step is context.scenario.steps[-1] and step.status.name == "passed":
        # The drain check has a bound of its own, not what the last step left of its bound.
        context.watchdog.arm(f"checking that the scenario {context.scenario.name!r} left nothing in flight")
        context.order_events.settle()


def after_scenario(context, scenario):
    context.timings.record(scenario)
    context.watchdog.arm(f"tearing down the scenario {scenario.name!r}")
    stop = context.failure_streak.record(scenario.status.name in FAILED, failure_of(scenario))
    if stop:
        print(f"\n{stop}\n", file=sys.stderr)
        context.abort(reason=stop)
    if scenario.status.name in FAILED:
        print(world.describe({name: getattr(context, name, None) for name in world.ATTRIBUTES}))


def after_all(context):
    context.watchdog.disarm()
    if getattr(context, "outcomes", None) and context.outcomes.summary():
        print(f"\n{context.outcomes.summary()}\n", file=sys.__stderr__)
    if getattr(context, "timings", None) and context.settings.record_timings:
        context.timings.write(context.settings.record_timings)
