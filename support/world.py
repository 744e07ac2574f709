"""What the suite keeps on behave's `context`, in one place, and how it is shown when a scenario fails.

Only steps and hooks read or write `context`; support code receives plain values.

| attribute    | set by          | what it is                                                        |
|--------------|-----------------|-------------------------------------------------------------------|
| settings     | before_all      | SuiteSettings: the run's settings (-D name=value or NAME env var) |
| outcomes     | before_all      | RunLedger: flaky and quarantined scenarios and quarantine problems of the run |
| stack        | before_all      | ProvisionedStack: PostgreSQL, Redis, RabbitMQ and how found       |
| shop         | before_all      | the shop under test: door.InProcessShop, ShopProcesses or RunningShop |
| runtime      | before_all      | SuiteRuntime: what the run started (fakes' front, operator, OpenAPI) |
| inspector    | before_all      | DatabaseInspector: read-only view of the suite's database          |
| world_reset  | before_all      | WorldReset: empties tables, the suite's Redis keys and queues     |
| api          | before_scenario | ShopApi: this scenario's HTTP client and its recorded exchanges   |
| cast         | before_scenario | Cast: this scenario's people by first name, with passes and orders |
| operator     | before_scenario | Operator: the administrator arranging; reads the shop's figures  |
| orders       | before_scenario | Orders: the scenario's orders, the last one and each person's    |
| log_mark     | before_scenario | int: where the shop's log stood when the scenario began           |
| reply        | steps           | Reply: the shop's last answer in this scenario                    |
| headcount    | steps           | int: how many users were stored before the action under test      |
| scratch_db   | migration steps | URL of the scenario's own scratch database (dropped afterwards)  |
| schema_snapshots | migration steps | dict: schema as it was at named moments                   |
| applied, rolled_back | migration steps | names of the migrations the last step applied / rolled back |
| cache        | before_all      | CacheInspector: reads the suite's keys in Redis                   |
| cache_link   | before_all      | TcpRelay: the shop's link to Redis, which a scenario can cut      |
| storage      | before_all      | StorageInspector: the suite's bucket in the shop's object storage |
| storage_link | before_all      | TcpRelay: the shop's link to its object storage, which a scenario can cut |
| download     | document steps  | Download: what following the last link to a document gave         |
| awaiting     | messaging steps | ids of the orders arranged as paid and awaiting shipment          |
| unknown_order, odd_message_id | messaging steps | an order id the shop does not know; a malformed message's id |
| refusals     | before_all      | DatabaseRefusals: makes the database refuse a statement (trigger) |
| watchdog     | before_all      | Watchdog: bounds each step's and hook's time (step_timeout)       |
| failure_streak | before_all    | FailureStreak: scenarios failing in a row for the same cause       |
| parked       | messaging steps | Message: the event the scenario found in the parking lot, with its headers |
| page_asked   | listing steps   | (person, listing, page, page size) of the page last asked for      |
| order_events | before_all      | OrderEvents: the shop's worker, its cuttable link to RabbitMQ, the queues |
| catalogue    | before_scenario | Catalogue: the scenario's products by name and their SKUs         |
| restarts     | before_all      | ServerRestarts: stops, starts, restarts the run's own servers (stack=docker) |
| stock_before | order steps     | dict: every product's stock (by SKU) just before an order         |
| figures_before | catalogue steps | ShopFigures: the shop's cache and database counts before a listing |
| buyers       | inventory steps | list of Person: customers signed in, waiting to order at once     |
| rush         | inventory, payment steps | RushOutcome: every answer to the callers who acted at one moment |
| fakes        | before_scenario | ProviderFakes: fakes of the shop's providers (.email, .payments) and their call log |
| evidence     | before_scenario | StepEvidence: attaches to each step the exchanges, provider calls, events it caused |
| posts        | before_scenario | PostRegister: the scenario's posts by title (arranged or published) |
| statements   | before_scenario | dict: SQL statements the shop ran for a measured request, by name |
| stored_before | robustness steps | dict: users, products, orders, posts stored before hostile input |
| sent         | robustness steps | SentRequest: a request, the operation it is for, the shop's answer |
| fuzzing      | fuzzing steps   | FuzzReport: cases sent per operation, findings with curl lines, cases/s |
| pages        | graphql steps   | list of Reply: the pages of posts read one after another          |
| delivery     | email steps     | str: what the shop's last run of `send-emails` said it did        |
| listings     | catalogue steps | list of Reply: many listings asked for one after another          |
| timed        | catalogue steps | list of TimedRequest: sign-ins and listings, each timed, while the cache was frozen |
| channel      | before_scenario | ApiChannel, or StorefrontChannel (@fixture.browser): how customers act |
| browsers     | before_all      | Browsers: the run's Chromium, launched by the first @ui scenario   |
| browser      | @fixture.browser | BrowserSession: the scenario's browser windows, one per person    |
| reply        | steps           | (also) Shown: what the storefront page said, when the channel is the storefront |
| timings      | before_all      | ScenarioTimings: each scenario's duration (for `make timings`)    |
| claims       | before_all      | Claims, or None: scenarios claimed in a folder the workers of one run share |
| usual        | payment-fault steps | list of float: seconds the catalogue took before the payments   |
| payments_under_way | payment-fault steps | PaymentsUnderWay: payments sent and waiting at the provider |
| timing       | payment-fault steps | CatalogueTiming: the catalogue browsed while payments waited     |
| payment_replies | payment-fault steps | dict: each payer's answer, by name, once the provider answered |
"""
from __future__ import annotations

from typing import Any

ATTRIBUTES = (
    "download",
    "settings", "stack", "shop", "api", "cast", "reply", "headcount", "scratch_db", "schema_snapshots",
    "stored_before", "sent", "fuzzing",
    "applied", "rolled_back", "statements", "delivery", "stock_before", "figures_before", "rush",
    "awaiting", "unknown_order", "odd_message_id", "listings", "timed", "usual", "payments_under_way", "timing",
    "payment_replies", "channel", "parked", "page_asked",
)


def describe(values: dict[str, Any]) -> str:
    """A readable dump of the scenario's world for a failure message."""
    lines = ["The scenario's world when it failed:"]
    for name, value in values.items():
        if value is None:
            continue
        text = repr(value)
        if " object at 0x" in text:
            text = type(value).__name__  # an object without a telling repr: its kind is what helps
        lines.append(f"  {name}: {text[:300]}{'...' if len(text) > 300 else ''}")
    return "\n".join(lines)
