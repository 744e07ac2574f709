"""The storefront's own guards, without servers: forms need their CSRF token, and signing in only ever
returns to a storefront page."""
from shop.errors import Unauthorized
from shop.web.app import create_app
from shop.web.storefront import _safe_next


class SignInRecorder:
    """Stands in for the shop: remembers any sign-in, which a refused form must never reach."""

    def __init__(self):
        self.users = self
        self.signed_in = []

    def sign_in(self, *args):
        self.signed_in.append(args)
        raise Unauthorized("Invalid email or password")


def test_a_form_without_its_csrf_token_is_refused_before_it_does_anything():
    shop = SignInRecorder()
    app = create_app(shop)
    reply = app.test_client().post("/shop/sign-in", data={"email": "a@example.com", "password": "secret-1"})
    assert (reply.status_code, reply.headers["Location"], shop.signed_in) == (302, "/shop/", [])


def test_the_json_api_is_not_asked_for_a_csrf_token():
    shop = SignInRecorder()
    reply = create_app(shop).test_client().post("/api/auth/login", json={"email": "a@example.com", "password": "s-1"})
    assert (reply.status_code, len(shop.signed_in)) == (401, 1), reply.get_data(as_text=True)


def test_after_signing_in_only_a_storefront_page_is_a_place_to_return_to():
    with create_app(SignInRecorder()).test_request_context():
        _expect_only_storefront_pages()


def _expect_only_storefront_pages():
    assert _safe_next("/shop/orders/1") == "/shop/orders/1"
    for elsewhere in ("https://evil.example/", "//evil.example/shop/", "/api/users", None, ""):
        assert _safe_next(elsewhere).startswith("/shop/"), elsewhere
