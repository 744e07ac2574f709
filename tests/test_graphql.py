"""The GraphQL API's limits and error shapes, checked without a database: a refused query never
reaches a resolver. And the batch loader that keeps nested lists to one statement per kind."""
import uuid
from types import SimpleNamespace

import pytest
from graphql import get_introspection_query

from shop.auth import Caller
from shop.gql import api, limits
from shop.gql.loaders import BatchLoader
from shop.gql.resolvers import RequestContext


class _NoDatabase:
    def __getattr__(self, name):
        raise AssertionError(f"a refused query reached the service layer ({name})")


def _run(query: str, variables=None, caller=None) -> api.Answer:
    shop = SimpleNamespace(posts=_NoDatabase(), users=_NoDatabase())
    return api.run({"query": query, "variables": variables}, RequestContext(shop, caller=caller))


def _nested(levels: int) -> str:
    path = ["posts", "author"] * levels
    inner = "id"
    for field in reversed(path[: levels - 2]):
        inner = f"{field} {{ {inner} }}"
    return f'{{ user(id: "1") {{ {inner} }} }}'


def _refusal(answer: api.Answer) -> tuple[int, str, str]:
    [error] = answer.body["errors"]
    return answer.status, error["extensions"]["code"], error["message"]


def test_a_query_at_the_depth_limit_passes_validation_and_one_deeper_is_refused():
    at_limit = _run(_nested(limits.MAX_DEPTH))
    assert at_limit.status == 200 and "nests fields" not in str(at_limit.body)  # it ran (and failed on no shop)
    assert _refusal(_run(_nested(limits.MAX_DEPTH + 1))) == (
        400, "GRAPHQL_VALIDATION_FAILED", "The query nests fields 9 levels deep; at most 8 levels are allowed"
    )


def test_depth_is_counted_through_fragments_and_a_fragment_cycle_does_not_hang():
    query = """
    { user(id: "1") { ...deep } }
    fragment deep on User { posts { author { posts { author { posts { author { posts { author { name } } } } } } } } }
    """
    status, code, message = _refusal(_run(query))
    assert (status, code) == (400, "GRAPHQL_VALIDATION_FAILED") and "10 levels" in message
    cycle = "{ user(id: \"1\") { ...a } } fragment a on User { posts { author { ...a } } }"
    answer = _run(cycle)
    assert answer.status == 400 and "Cannot spread fragment" in answer.body["errors"][0]["message"]


def test_many_aliases_are_refused_by_the_field_count():
    query = "{ " + " ".join(f'u{i}: user(id: "{i}") {{ id name }}' for i in range(100)) + " }"
    assert _refusal(_run(query))[2] == "The query selects 300 fields; at most 250 are allowed"


def test_the_possible_size_of_the_answer_counts_each_list_at_its_first():
    query = "query($n: Int) { posts(first: $n) { edges { node { comments(first: 50) { body author { name } } } } } }"
    # posts, edges, node: n each; comments, body, author, name: 50 per post.
    assert _run(query, {"n": 49}).status == 200  # 49 * 3 + 49 * 50 * 4 = 9,947 values
    assert _refusal(_run(query, {"n": 50}))[2] == "The query could return 10,150 values; at most 10,000 are allowed"


def test_a_query_text_beyond_the_length_limit_is_refused_before_parsing():
    status, code, message = _refusal(_run("{ posts { edges { cursor } } }" + " " * limits.MAX_QUERY_LENGTH))
    assert (status, code) == (400, "GRAPHQL_VALIDATION_FAILED") and "characters long" in message


def test_introspection_is_not_held_to_the_depth_limit():
    answer = _run(get_introspection_query(), caller=Caller(uuid.uuid4(), "admin"))
    assert answer.status == 200 and answer.body["data"]["__schema"]["queryType"]["name"] == "Query"


def test_introspection_is_refused_to_customers():
    answer = _run(get_introspection_query(), caller=Caller(uuid.uuid4(), "customer"))
    assert (answer.status, answer.body["errors"][0]["message"]) == (400, "Only administrators may ask for the schema")


@pytest.mark.parametrize(
    ("body", "code", "status"),
    [
        ({"query": "{ user(id: "}, "GRAPHQL_PARSE_FAILED", 400),
        ({"query": "{ nope }"}, "GRAPHQL_VALIDATION_FAILED", 400),
        ({"query": "mutation($i: NewPost!) { createPost(input: $i) { id } }", "variables": {"i": {"title": 1}}},
         "BAD_USER_INPUT", 400),
        ({"query": 42}, "BAD_REQUEST", 400),
        ({"query": "{ posts { pageInfo { hasNextPage } } }", "variables": []}, "BAD_REQUEST", 400),
    ],
)
def test_requests_that_cannot_run_are_refused_with_a_code_and_no_internals(body, code, status):
    shop = SimpleNamespace(posts=_NoDatabase(), users=_NoDatabase())
    answer = api.run(body, RequestContext(shop, caller=None))
    assert answer.status == status and {e["extensions"]["code"] for e in answer.body["errors"]} == {code}
    assert "Traceback" not in str(answer.body) and "exception" not in str(answer.body)


def test_an_unexpected_failure_is_an_internal_error_without_details(caplog):
    shop = SimpleNamespace(posts=SimpleNamespace(page=lambda *a: 1 / 0), users=_NoDatabase())
    answer = api.run({"query": "{ posts { pageInfo { hasNextPage } } }"}, RequestContext(shop, caller=None))
    assert answer.body["errors"] == [{
        "message": "Internal server error", "locations": [{"line": 1, "column": 3}], "path": ["posts"],
        "extensions": {"code": "INTERNAL_SERVER_ERROR"},
    }]
    assert "ZeroDivisionError" in caplog.text  # in the shop's log, not in the answer


def test_the_batch_loader_fetches_every_announced_key_in_one_go():
    fetched = []
    loader = BatchLoader(lambda keys: fetched.append(keys) or {k: k * 10 for k in keys if k != 3})
    loader.want([1, 2, 3])
    assert [loader.load(2), loader.load(1), loader.load(3), loader.load(4)] == [20, 10, None, 40]
    assert fetched == [[1, 2, 3], [4]]
