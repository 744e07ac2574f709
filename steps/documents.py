"""Order documents: a paid order's receipt kept in the shop's cloud storage, downloaded by its customer
through a short-lived link, refused to anyone else, and stored once storage is back after an outage.
"""
from behave import given, then, when

from support.documents import arrange, check
from support.step_types import table_rows

# -- the storage's moods --------------------------------------------------------------------------


@given("the shop cannot reach its document storage")
def step_storage_unreachable(context):
    """The shop loses its connection to its document storage."""
    context.storage_link.cut()
    context.add_cleanup(context.storage_link.restore)


@when("the document storage is back")
def step_storage_back(context):
    """The shop's connection to its document storage comes back."""
    context.storage_link.restore()


# -- asking for and following links ----------------------------------------------------------------


@when("{person:Person} downloads the receipt of {possessive:Possessive} order")
def step_downloads(context, person, possessive=None):
    """The person asks for a link to their latest order's receipt and follows it."""
    order_id = context.orders.last_of(person)
    context.download = arrange.download_receipt(context.api, context.cast.token_of(person), order_id, person)


@when("{person:Person} asks for a link to the receipt of {possessive:Possessive} order")
def step_asks_for_link(context, person, possessive=None):
    """The person asks for a link to their latest order's receipt."""
    context.reply = arrange.ask_for_receipt(context.api, context.cast.token_of(person),
                                            context.orders.last_of(person))


@when("{person:Person} asks for the receipt of {owner:Person}'s order")
def step_asks_for_others(context, person, owner):
    """The person asks for the receipt of someone else's latest order."""
    context.reply = arrange.ask_for_receipt(context.api, context.cast.token_of(person),
                                            context.orders.last_of(owner))


@when("{person:Person} edits the link to {possessive:Possessive} own receipt to name {owner:Person}'s order")
def step_edits_link(context, person, owner, possessive=None):
    """The person edits the link to their own receipt so that it names someone else's order, and follows it."""
    own, other = context.orders.last_of(person), context.orders.last_of(owner)
    link = arrange.link_in(arrange.ask_for_receipt(context.api, context.cast.token_of(person), own), person)
    context.download = context.api.download(arrange.altered_link(link, own, other))


# -- what storage holds and what the customer gets ---------------------------------------------------


@then("the shop has stored {person:Person}'s receipt for {possessive:Possessive} order, listing")
def step_receipt_stored(context, person, possessive=None):
    """Checks the shop stored the receipt of the person's latest order in storage, listing the table's lines."""
    check.expect_receipt_stored(context.storage, context.orders.last_of(person),
                                str(context.cast[person].id), person, check.receipt_lines(table_rows(context.table)))


@then("{person:Person}'s receipt says {pronoun:Pronoun} paid {amount:Money} {currency:w}")
def step_receipt_total(context, person, amount, currency, pronoun=None):
    """Checks the stored receipt of the person's latest order says they paid this amount."""
    check.expect_receipt_stored(context.storage, context.orders.last_of(person),
                                str(context.cast[person].id), person, total=f"{amount:.2f} {currency}")


@then("{person:Person} gets the receipt stored for {possessive:Possessive} order")
def step_gets_receipt(context, person, possessive=None):
    """Checks the person downloaded exactly the receipt stored for their latest order."""
    check.expect_download(context.download, context.storage, context.orders.last_of(person), person)


@then("the link gives {possessive:Possessive} the receipt, until it expires")
def step_link_works_then_expires(context, possessive=None):
    """Checks the link gives the person their receipt until it expires, and nothing after."""
    check.expect_link_works_until_it_expires(context.api, context.reply, context.storage,
                                             context.settings.document_link_ttl_seconds)


@then("the edited link is refused")
def step_edited_link_refused(context):
    """Checks the edited link was refused."""
    check.expect_refused(context.download, 404, "No such document", "the edited link")


@then("no receipt of {person:Person}'s order is in storage yet")
def step_none_stored(context, person):
    """Checks no receipt of the person's latest order is in storage yet."""
    check.expect_none_stored(context.storage, context.orders.last_of(person), person)


@then("{person:Person}'s receipt is kept to be stored later")
def step_kept(context, person):
    """Checks the shop keeps the receipt storage did not take, to store it later."""
    check.expect_kept(context.inspector, context.orders.last_of(person), person)


@then("{person:Person}'s receipt is stored, once")
def step_stored_once(context, person):
    """Checks the receipt of the person's latest order is in storage exactly once."""
    check.expect_stored_once(context.storage, context.inspector, context.orders.last_of(person),
                             str(context.cast[person].id), person)
