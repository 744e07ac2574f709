"""The storefront: server-rendered pages where a customer signs in, browses and searches the catalogue,
fills a basket, places the order, pays it by card and follows its status.

Each page is a thin entry point over the same service functions as the REST API. The customer's pass
and basket live in the signed session cookie; every form carries a CSRF token (Flask-WTF); a refused
form comes back with the reason in words and loses nothing (the basket stays as it was).
"""
from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect

from shop.auth import Caller
from shop.config import Settings
from shop.errors import InsufficientStock, InvalidInput, NotFound, ShopError, Unauthorized
from shop.money import as_text
from shop.orders import CANCELLABLE, MAX_QUANTITY
from shop.payments import PAYABLE
from shop.web.requests import shop

blueprint = Blueprint("storefront", __name__, url_prefix="/shop", template_folder="templates")
csrf = CSRFProtect()

# What a customer reads for each status the shop stores.
STATUS_WORDS = {"pending": "Pending", "payment_failed": "Payment failed", "paid": "Paid", "shipped": "Shipped",
                "cancelled": "Cancelled", "refunded": "Refunded"}


def install(app: Flask) -> None:
    """Mount the storefront on the shop's app: its pages, its session cookie and its CSRF check."""
    settings = getattr(app.extensions.get("shop"), "settings", None) or Settings()
    app.secret_key = settings.session_secret
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        # The storefront session lasts as long as the pass it holds.
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=settings.token_ttl_seconds),
        # Only the storefront's forms are checked: the JSON API authenticates by bearer pass, not cookie.
        WTF_CSRF_CHECK_DEFAULT=False, WTF_CSRF_TIME_LIMIT=None,
    )
    csrf.init_app(app)
    app.register_blueprint(blueprint)
    app.add_url_rule("/", "storefront_home", lambda: redirect(url_for("storefront.catalogue")))


@blueprint.before_request
def check_form_token():
    if request.method == "POST":
        csrf.protect()


@blueprint.errorhandler(CSRFError)
def form_expired(error: CSRFError):
    flash("That form had expired; please try again.", "error")
    return redirect(url_for("storefront.catalogue"))


@blueprint.app_template_filter("money")
def money(amount) -> str:
    return f"{as_text(amount)} {shop().settings.payments_currency.upper()}"


@blueprint.app_context_processor
def page_globals() -> dict[str, Any]:
    basket = session.get("basket", {})
    return {"signed_in_as": session.get("name"), "basket_count": sum(basket.values()),
            "status_words": STATUS_WORDS, "currency": shop().settings.payments_currency.upper()}


def signed_in(view):
    """The view runs for a signed-in customer, given as `caller`; anyone else is sent to sign in first."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            who = shop().tokens.verify(session.get("pass") or "")
        except Unauthorized:
            if session.pop("pass", None):
                flash("Your session has ended; please sign in again.", "error")
            return redirect(url_for("storefront.sign_in", next=request.path))
        return view(who, *args, **kwargs)
    return wrapper


# -- signing in and out -------------------------------------------------------------------------------
@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    email, problem = request.form.get("email", ""), None
    if request.method == "POST":
        try:
            signed = shop().users.sign_in(email, request.form.get("password", ""), request.remote_addr or "unknown")
        except ShopError as error:
            problem = error.message
        else:
            session.clear()
            session.permanent = True
            session.update({"pass": signed["token"], "name": signed["user"]["name"], "basket": {}})
            return redirect(_safe_next(request.args.get("next")))
    return render_template("storefront/sign_in.html", email=email, problem=problem)


@blueprint.post("/sign-out")
def sign_out():
    session.clear()
    flash("You are signed out.", "success")
    return redirect(url_for("storefront.sign_in"))


def _safe_next(target: str | None) -> str:
    """Only a storefront page is a place to return to after signing in (never another site)."""
    if target and target.startswith("/shop/") and not target.startswith("//"):
        return target
    return url_for("storefront.catalogue")


# -- the catalogue and the basket ---------------------------------------------------------------------
@blueprint.get("/")
@signed_in
def catalogue(caller: Caller):
    search = request.args.get("q", "").strip()
    try:
        listing = shop().products.browse(page=request.args.get("page", 1), limit=20, name=search)
    except InvalidInput as error:
        flash(error.message, "error")
        return redirect(url_for("storefront.catalogue"))
    return render_template("storefront/catalogue.html", listing=listing, search=search)


@blueprint.post("/basket")
@signed_in
def add_to_basket(caller: Caller):
    sku, quantity = request.form.get("sku", ""), _quantity(request.form.get("quantity", ""))
    product = shop().products.by_sku([sku]).get(sku)
    if product is None:
        flash("That product is no longer sold.", "error")
    elif quantity is None:
        flash(f"Quantity must be a whole number from 1 to {MAX_QUANTITY}.", "error")
    else:
        basket = dict(session.get("basket", {}))
        basket[sku] = min(basket.get(sku, 0) + quantity, MAX_QUANTITY)
        session["basket"] = basket
        flash(f"{quantity} × {product.name} added to your basket.", "success")
    return redirect(request.form.get("back") if request.form.get("back", "").startswith("/shop/")
                    else url_for("storefront.catalogue"))


@blueprint.post("/basket/remove")
@signed_in
def remove_from_basket(caller: Caller):
    basket = dict(session.get("basket", {}))
    basket.pop(request.form.get("sku", ""), None)
    session["basket"] = basket
    return redirect(url_for("storefront.basket"))


@blueprint.get("/basket")
@signed_in
def basket(caller: Caller):
    wanted = session.get("basket", {})
    products = shop().products.by_sku(list(wanted))
    lines = [(products[sku], quantity) for sku, quantity in wanted.items() if sku in products]
    total = sum((product.price * quantity for product, quantity in lines), start=0)
    return render_template("storefront/basket.html", lines=lines, total=total)


def _quantity(text: str) -> int | None:
    return int(text) if text.strip().isdigit() and 0 < int(text) <= MAX_QUANTITY else None


# -- orders ---------------------------------------------------------------------------------------------
@blueprint.post("/orders")
@signed_in
def place_order(caller: Caller):
    wanted = session.get("basket", {})
    try:
        order = shop().orders.place(caller, [{"sku": sku, "quantity": qty} for sku, qty in wanted.items()])
    except InsufficientStock as short:
        product = shop().products.by_sku([short.sku]).get(short.sku)
        flash(f"Your order was not placed: there is not enough {product.name} in stock "
              f"(only {product.stock} left). Nothing was taken; change the quantity and try again.", "error")
        return redirect(url_for("storefront.basket"))
    except InvalidInput as error:
        reasons = list(error.errors.values()) or [error.message]
        flash(" ".join(_sentence(text) for text in ["Your order was not placed", *reasons]), "error")
        return redirect(url_for("storefront.basket"))
    session["basket"] = {}
    flash("Thank you: your order is placed.", "success")
    return redirect(url_for("storefront.order", order_id=order.id))


@blueprint.get("/orders")
@signed_in
def orders(caller: Caller):
    mine, pagination = shop().orders.list(caller, page=request.args.get("page", 1), limit=20)
    return render_template("storefront/orders.html", orders=mine, pagination=pagination)


@blueprint.get("/orders/<order_id>")
@signed_in
def order(caller: Caller, order_id: str):
    try:
        found = shop().orders.get(order_id, caller)
    except NotFound:
        return render_template("storefront/not_found.html"), 404
    return render_template("storefront/order.html", order=found, payable=found.status in PAYABLE,
                           cancellable=found.status in CANCELLABLE)


@blueprint.post("/orders/<order_id>/pay")
@signed_in
def pay(caller: Caller, order_id: str):
    try:
        payment = shop().payments.pay(order_id, caller, request.form.get("card", "").strip())
    except InvalidInput as error:  # a declined card, or no card at all: the reason, in the provider's words
        flash(" ".join(_sentence(text) for k, text in [("", error.message), *error.errors.items()] if k != "card"),
              "error")
    except ShopError as error:
        flash(f"{_sentence(error.message)} Nothing was charged; you can try again.", "error")
    else:
        flash(f"Thank you: your payment of {as_text(payment.amount)} {payment.currency} is received.", "success")
    return redirect(url_for("storefront.order", order_id=order_id))


@blueprint.post("/orders/<order_id>/cancel")
@signed_in
def cancel(caller: Caller, order_id: str):
    try:
        shop().orders.cancel(order_id, caller)
    except ShopError as error:
        flash(_sentence(error.message), "error")
    else:
        flash("Your order is cancelled; nothing will be charged.", "success")
    return redirect(url_for("storefront.order", order_id=order_id))


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."
