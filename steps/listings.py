"""Listings the shop pages through (the catalogue, a customer's orders, the users, the posts) at their edges,
and the kinds of catalogue listing a customer may be looking at."""
from behave import given, then, when

from support.catalogue.views import catalogue_view
from support.listings import check as listings
from support.posts.arrange import PAGE_OF_POSTS

# The listing's name in the Gherkin, the name the checks know it by, and how to ask the shop for a page.
_LISTINGS = {
    "the catalogue": ("products", lambda api, token, page, limit: api.browse_products(token, page=page, limit=limit)),
    "her orders": ("orders", lambda api, token, page, limit: api.list_orders(token, page=page, limit=limit)),
    "his orders": ("orders", lambda api, token, page, limit: api.list_orders(token, page=page, limit=limit)),
    "the users": ("users", lambda api, token, page, limit: api.list_users(token, page=page, limit=limit)),
}


@when("{person:Person} asks for page {page:d} of {listing}, {limit:d} per page")
def step_ask_for_page(context, person, page, listing, limit):
    """The person asks for this page of a listing (the catalogue, their orders, the users), this many per page."""
    context.page_asked = (person, _LISTINGS[listing][0], page, limit)
    context.reply = _LISTINGS[listing][1](context.api, context.cast.token_of(person), page, limit)


@then("{pronoun:Pronoun} is shown {count:d} {rows}, the right ones {ordered}, on page {page:d} of {pages:d}")
def step_shown_page(context, count, rows, ordered, page, pages, pronoun=None):
    """Checks the page shows this many rows, the right ones in the right order, and its page number and count."""
    person, listing, _, limit = context.page_asked
    listings.expect_page_of(context.reply, context.inspector, listing, page=page, limit=limit, count=count,
                            pages=pages, customer_id=context.cast[person].id)


@given("{person:Person} has placed {count:d} orders")
def step_placed_orders(context, person, count):
    """The person has already placed this many orders."""
    for _ in range(count):
        context.orders.arrange(person, [("Mug", 1)])


@then("{person:Person} finds no more posts after the last page")
def step_nothing_past_the_end(context, person):
    """Checks asking past the last page of posts gives the person no more posts."""
    past = listings.after_last_page(context.api, context.cast.token_of(person), context.pages, PAGE_OF_POSTS)
    listings.expect_nothing_past_the_end(past)


@given("{person:Person} has looked at {view}")
@when("{person:Person} looks at {view} again")
def step_look_at_listing(context, person, view):
    """The person looks at this kind of catalogue listing (again)."""
    context.reply = catalogue_view(view).read(context.api, context.cast.token_of(person))


@when("{person:Person} changes the stock of {product} to {stock:Quantity}")
def step_change_stock(context, person, product, stock):
    """The person (usually an administrator) changes the product's stock to this number."""
    sku = context.catalogue[product].sku
    context.reply = context.api.change_product(context.cast.token_of(person), sku, {"stock": stock})
