"""The catalogue: what it holds, browsing it, administrators changing it, and the cache in front of it."""
from datetime import timedelta

from behave import given, then, when

from support import builders
from support.catalogue import check as expect
from support.catalogue import frozen_cache
from support.reporting import attach_text
from support.step_types import table_rows


@given("the catalogue has")
def step_catalogue_has(context):
    """The catalogue holds the products in the table (name, and price and stock where given)."""
    context.catalogue.stock(table_rows(context.table))


@given("the catalogue has {count:d} products")
def step_catalogue_has_some(context, count):
    """The catalogue holds this many products."""
    context.catalogue.stock_any(count)


@given("{person:Person} has browsed the catalogue")
@when("{person:Person} browses the catalogue")
def step_browse(context, person):
    """The person browses the catalogue's first page."""
    context.figures_before = context.operator.figures()
    context.reply = context.channel.browse(person)


@when("{person:Person} browses the catalogue, {limit:d} per page, page {page:d}")
def step_browse_page(context, person, limit, page):
    """The person browses one page of the catalogue, with this many products per page."""
    context.reply = context.api.browse_products(context.cast.token_of(person), page=page, limit=limit)


@when('{person:Person} searches the catalogue for "{text}"')
def step_search(context, person, text):
    """The person searches the catalogue for products whose name holds this text."""
    context.reply = context.channel.search(person, text)


@when("{person:Person} changes the price of {product} to {price:Money}")
def step_change_price(context, person, product, price):
    """The person (usually an administrator) changes the product's price."""
    sku = context.catalogue[product].sku
    context.reply = context.api.change_product(context.cast.token_of(person), sku, {"price": str(price)})


@when("{person:Person} adds {product} at {price:Money} with {stock:Quantity} in stock")
def step_add_product(context, person, product, price, stock):
    """The person (usually an administrator) adds a product with this price and stock."""
    fields = context.catalogue.fields_for(product, str(price), stock)
    context.reply = context.api.create_product(context.cast.token_of(person), fields)
    context.catalogue.remember(context.reply)


@when('{person:Person} adds a product with the price "{price}"')
def step_add_with_price_text(context, person, price):
    """The person tries to add a product with this price, written as text."""
    fields = context.catalogue.fields_for(builders.product_name(), price, 12)
    context.reply = context.api.create_product(context.cast.token_of(person), fields)


@when("{person:Person} adds a product with the price {price:g} as a JSON number")
def step_add_with_price_number(context, person, price):
    """The person tries to add a product with this price, written as a number rather than as text."""
    fields = context.catalogue.fields_for(builders.product_name(), price, 12)
    context.reply = context.api.create_product(context.cast.token_of(person), fields)


@given("the shop cannot reach its cache")
def step_cache_unreachable(context):
    """The shop loses its connection to its cache."""
    context.cache_link.cut()
    context.add_cleanup(context.cache_link.restore)


@when("the shop can reach its cache again")
def step_cache_reachable(context):
    """The shop's connection to its cache comes back."""
    context.cache_link.restore()


@then("{pronoun:Pronoun} sees these products")
def step_sees_products(context, pronoun=None):
    """Checks the listing shows exactly the products in the table, in that order."""
    context.channel.expect_products(context.reply, table_rows(context.table))


@then("{pronoun:Pronoun} is on page {page:d} of {pages:d}, out of {total:d} products in total")
def step_on_page(context, page, pages, total, pronoun=None):
    """Checks the listing says which page this is, how many pages and how many products there are."""
    expect.expect_position(context.reply, page=page, pages=pages, total=total)


@then("{pronoun:Pronoun} sees {product} at {price:Money} with {stock:Quantity} in stock")
def step_sees_product_fully(context, product, price, stock, pronoun=None):
    """Checks the listing shows the product with this price and stock."""
    expect.expect_shown(context.reply, product, price=price, stock=stock)


@then("{pronoun:Pronoun} sees {product} at {price:Money}")
def step_sees_price(context, product, price, pronoun=None):
    """Checks the listing shows the product with this price."""
    expect.expect_shown(context.reply, product, price=price)


@then("{pronoun:Pronoun} sees {product} with {stock:Quantity} in stock")
def step_sees_stock(context, product, stock, pronoun=None):
    """Checks the listing shows the product with this stock."""
    expect.expect_shown(context.reply, product, stock=stock)


@then("the listing was served from the cache, without asking the database")
def step_from_cache(context):
    """Checks the listing came from the cache, with no work for the database."""
    expect.expect_served_from_cache(context.figures_before, context.operator.figures())


@then("the listing was served from the database, without the cache")
def step_without_cache(context):
    """Checks the listing came from the database, the cache not being used."""
    expect.expect_served_without_cache(context.figures_before, context.operator.figures())


@then("the cache keeps the listing {person:Person} saw for at most {minutes:d} minutes")
def step_listing_kept(context, person, minutes):
    """Checks the cache keeps the listing the person saw, for no longer than this many minutes."""
    expect.expect_listing_kept(context.cache, context.reply, timedelta(minutes=minutes))


@then("{product} is stored at {price:Money} with {stock:Quantity} in stock")
def step_product_stored(context, product, price, stock):
    """Checks the shop stores the product with this price and stock."""
    expect.expect_stored_product(context.inspector, context.catalogue[product].sku, product, price=price, stock=stock)


@then("the price of {product} is still {price:Money}")
def step_price_unchanged(context, product, price):
    """Checks the product's stored price has not changed."""
    expect.expect_stored_product(context.inspector, context.catalogue[product].sku, product, price=price)


@given("the shop's cache stops answering, keeping its connections open")
def step_cache_frozen(context):
    """The shop's cache stops answering while keeping its connections open (it hangs rather than fails)."""
    context.cache_link.freeze()
    context.add_cleanup(context.cache_link.thaw)


@when("the cache answers again")
def step_cache_thawed(context):
    """The shop's cache answers again."""
    context.cache_link.thaw()


@when("{person:Person} signs in and browses the catalogue {times:d} times")
def step_sign_in_and_browse(context, person, times):
    """The person signs in and browses the catalogue this many times, each answer timed."""
    who = context.cast[person]
    context.timed = frozen_cache.sign_in_and_browse(context.api, who.email, who.details.password, who.address, times)
    attach_text("Requests while the cache was frozen", frozen_cache.describe(context.timed))


@then("each sign-in and each listing was answered")
def step_all_answered(context):
    """Checks every sign-in and every listing got an answer."""
    frozen_cache.expect_all_answered(context.timed)


@then("the shop waited for its frozen cache at most {times:d} times")
def step_waited_at_most(context, times):
    """Checks the shop waited for its hanging cache no more than this many times."""
    frozen_cache.expect_waited_at_most(context.cache_link.swallowed, times, len(context.timed))


@then("the listings {person:Person} browses are kept in the cache again within {seconds:d} seconds")
def step_cache_used_again(context, person, seconds):
    """Checks the shop keeps the person's listings in its cache again within this many seconds."""
    frozen_cache.expect_cache_used_again(context.api, context.cast.token_of(person), context.cache, seconds)


@when("{person:Person} searches the catalogue for {count:d} different words")
def step_search_many(context, person, count):
    """The person searches the catalogue for this many different words."""
    words = builders.search_words(count)
    context.listings = [context.api.browse_products(context.cast.token_of(person), name=word) for word in words]


@when("{person:Person} browses pages {first:d} to {last:d} of the catalogue, {limit:d} per page")
def step_browse_many_pages(context, person, first, last, limit):
    """The person browses this range of catalogue pages, with this many products per page."""
    token = context.cast.token_of(person)
    context.listings += [context.api.browse_products(token, page=page, limit=limit) for page in range(first, last + 1)]


@then("every one of {possessive:Possessive} listings was answered")
def step_listings_answered(context, possessive=None):
    """Checks every listing the person asked for was answered."""
    expect.expect_all_listed(context.listings)


@then("the cache keeps at most {count:d} catalogue listings")
def step_listings_kept(context, count):
    """Checks the cache holds no more than this many catalogue listings."""
    expect.expect_listings_kept_at_most(context.cache, count)
