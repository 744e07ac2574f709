"""Tests of the JSON matcher that `@api-contract` scenarios rely on to say what a response must look like."""

import pytest

from support.json_match import (
    assert_json_matches,
    match,
    match_contains,
    mismatches,
    parse_expected,
)

ORDER_ID = "3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c"


@pytest.mark.parametrize(
    ("marker", "accepted", "refused"),
    [
        ("#string", ["", "Kettle"], [1, None, True, [], {}]),
        ("#number", [0, 25, 25.5, -1e9], [True, False, "25", None]),
        ("#boolean", [True, False], [0, 1, "true", None]),
        ("#array", [[], [1, "a"]], [{}, "[]", None]),
        ("#object", [{}, {"a": 1}], [[], "{}", None]),
        ("#null", [None], [0, "", False, [], {}]),
        ("#notnull", [0, "", False, [], {}], [None]),
        ("#present", [None, 0, "x", {}], []),
        ("#ignore", [None, 0, "x", {}], []),
        ("#uuid", [ORDER_ID, ORDER_ID.upper()], [ORDER_ID[:-1], ORDER_ID.replace("-", ""), 7, None]),
        (
            "#datetime",
            [
                "2026-11-24T05:20:33.123456+00:00",
                "2026-11-24T05:20:33Z",
                "2026-11-24T05:20",
                "2026-11-24T05:20:33",
            ],
            ["2026-11-24", "2026-11-24 05:20:33", "2026-13-24T05:20:33Z", "yesterday", 1764000000],
        ),
        (
            "#date",
            ["2026-11-24", "2024-02-29"],
            ["2026-02-30", "2026-11-24T05:20:33Z", "24/11/2026", 20261124],
        ),
        (
            "#email",
            ["alice@example.com", "a.b+c@mail.example.org"],
            ["not-an-email", "a@b", "a b@c.de", None],
        ),
        ("#regex [A-Z]{3}-\\d+", ["KET-1", "ABC-12345"], ["ket-1", "KET-", "XKET-1", "KET-1x", 5]),
    ],
)
def test_each_marker_accepts_its_values_and_refuses_others(marker, accepted, refused):
    for value in accepted:
        assert mismatches(value, marker) == [], f"{marker} should accept {value!r}"
    for value in refused:
        assert mismatches(value, marker) != [], f"{marker} should refuse {value!r}"


def test_a_marker_mismatch_names_the_path_the_marker_and_the_value_found():
    actual = {"data": [{"email": "alice@example.com"}, {"email": "not-an-email"}]}
    expected = {"data": [{"email": "#email"}, {"email": "#email"}]}
    assert mismatches(actual, expected) == ["$.data[1].email: expected #email, found 'not-an-email'"]


def test_notpresent_passes_when_the_key_is_absent_and_names_the_leaked_value_otherwise():
    assert mismatches({"name": "Alice"}, {"name": "#string", "password": "#notpresent"}) == []
    leaked = {"name": "Alice", "password": "$2b$12$abc"}
    assert mismatches(leaked, {"name": "#string", "password": "#notpresent"}) == [
        "$.password: expected to be absent, found '$2b$12$abc'"
    ]


def test_ignore_allows_the_key_to_be_absent_or_hold_anything():
    assert mismatches({}, {"trace": "#ignore"}) == []
    assert mismatches({"trace": [1, 2]}, {"trace": "#ignore"}) == []


def test_present_requires_the_key_but_accepts_null():
    assert mismatches({"coupon": None}, {"coupon": "#present"}) == []
    assert mismatches({}, {"coupon": "#present"}) == ["$: missing key 'coupon', expected #present"]


def test_null_and_notnull_require_the_key_to_exist():
    assert mismatches({}, {"a": "#null"}) == ["$: missing key 'a', expected #null"]
    assert mismatches({}, {"a": "#notnull"}) == ["$: missing key 'a', expected #notnull"]


@pytest.mark.parametrize("actual", [{}, {"nickname": None}, {"nickname": "Ali"}])
def test_an_optional_marker_accepts_absent_null_or_a_matching_value(actual):
    assert mismatches(actual, {"nickname": "##string"}) == []


def test_an_optional_marker_still_refuses_a_value_of_the_wrong_kind():
    assert mismatches({"nickname": 7}, {"nickname": "##string"}) == ["$.nickname: expected ##string, found 7"]
    assert mismatches({"ref": "x"}, {"ref": "##uuid"}) == ["$.ref: expected ##uuid, found 'x'"]
    assert mismatches({"code": "kx"}, {"code": "##regex [a-z]\\d"}) == [
        "$.code: expected ##regex [a-z]\\d, found 'kx'"
    ]


class TestArrayMarkers:
    def test_any_array(self):
        assert mismatches([], "#[]") == []
        assert mismatches({"tags": "a"}, {"tags": "#[]"}) == ["$.tags: expected #[], found 'a'"]

    def test_array_of_exact_length(self):
        assert mismatches({"items": [1, 2, 3]}, {"items": "#[3]"}) == []
        assert mismatches({"items": [1, 2]}, {"items": "#[3]"}) == ["$.items: expected 3 elements, found 2"]
        assert mismatches({"items": []}, {"items": "#[0]"}) == []

    def test_every_element_must_satisfy_the_element_marker(self):
        assert mismatches({"tags": ["a", "b"]}, {"tags": "#[] #string"}) == []
        assert mismatches({"tags": ["a", 3, None]}, {"tags": "#[] #string"}) == [
            "$.tags[1]: expected #string, found 3",
            "$.tags[2]: expected #string, found null",
        ]

    def test_length_and_element_marker_together(self):
        assert mismatches([ORDER_ID, ORDER_ID], "#[2] #uuid") == []
        assert mismatches([ORDER_ID], "#[2] #uuid") == ["$: expected 2 elements, found 1"]
        assert mismatches([ORDER_ID, "nope"], "#[2] #uuid") == ["$[1]: expected #uuid, found 'nope'"]

    def test_optional_elements_and_optional_array(self):
        assert mismatches(["a", None], "#[] ##string") == []
        assert mismatches({}, {"tags": "##[] #string"}) == []
        assert mismatches({"tags": None}, {"tags": "##[] #string"}) == []
        assert mismatches({"tags": [1]}, {"tags": "##[] #string"}) == ["$.tags[0]: expected #string, found 1"]

    def test_element_marker_may_be_a_regex(self):
        assert mismatches(["KET-1", "MUG-22"], "#[] #regex [A-Z]{3}-\\d+") == []
        assert mismatches(["KET-1", "mug"], "#[] #regex [A-Z]{3}-\\d+") == [
            "$[1]: expected #regex [A-Z]{3}-\\d+, found 'mug'"
        ]


class TestExactMatch:
    def test_objects_must_have_exactly_the_expected_keys(self):
        actual = {"id": ORDER_ID, "hash": "abc"}
        assert mismatches(actual, {"id": "#uuid", "total": "#number"}) == [
            "$: missing key 'total', expected #number",
            "$: unexpected key 'hash'",
        ]

    def test_nested_objects_are_exact_too(self):
        actual = {"customer": {"name": "Alice", "role": "admin"}}
        assert mismatches(actual, {"customer": {"name": "Alice"}}) == ["$.customer: unexpected key 'role'"]

    def test_arrays_must_be_equal_length_and_in_order(self):
        assert mismatches({"items": [1, 2]}, {"items": [1, 2, 3]}) == [
            "$.items: expected 3 elements, found 2"
        ]
        assert mismatches([1, 2], [2, 1]) == ["$[0]: expected 2, found 1", "$[1]: expected 1, found 2"]

    def test_primitives_compare_by_value_with_int_and_float_equal_but_booleans_distinct(self):
        assert mismatches(1, 1.0) == []
        assert mismatches({"n": 25.0}, {"n": 25}) == []
        assert mismatches(True, 1) == ["$: expected 1, found true"]
        assert mismatches(0, False) == ["$: expected false, found 0"]
        assert mismatches("1", 1) == ["$: expected 1, found '1'"]
        assert mismatches({"status": None}, {"status": "paid"}) == ["$.status: expected 'paid', found null"]

    def test_literal_mismatches_show_both_values(self):
        assert mismatches({"status": "pending"}, {"status": "paid"}) == [
            "$.status: expected 'paid', found 'pending'"
        ]

    def test_container_kind_mismatches(self):
        assert mismatches({"data": [1]}, {"data": {"id": 1}}) == ["$.data: expected an object, found [1]"]
        assert mismatches({"data": {"id": 1}}, {"data": [1]}) == [
            '$.data: expected an array, found {"id": 1}'
        ]

    def test_every_mismatch_is_reported_not_only_the_first(self):
        actual = {"id": "x", "email": "nope", "items": [{"sku": "KET", "qty": "2"}]}
        expected = {"id": "#uuid", "email": "#email", "items": [{"sku": "KET", "qty": "#number"}]}
        assert mismatches(actual, expected) == [
            "$.id: expected #uuid, found 'x'",
            "$.email: expected #email, found 'nope'",
            "$.items[0].qty: expected #number, found '2'",
        ]

    def test_keys_that_are_not_identifiers_are_quoted_in_the_path(self):
        assert mismatches({"unit price": "x"}, {"unit price": "#number"}) == [
            "$[\"unit price\"]: expected #number, found 'x'"
        ]

    def test_long_values_are_shortened_in_messages(self):
        [line] = mismatches({"note": "x" * 500}, {"note": "#number"})
        assert len(line) < 120 and line.endswith("...")


class TestContainsMatch:
    def test_objects_may_have_extra_keys_at_any_depth(self):
        actual = {"id": ORDER_ID, "hash": "h", "customer": {"name": "Alice", "role": "admin"}}
        assert mismatches(actual, {"customer": {"name": "Alice"}}, contains=True) == []

    def test_missing_keys_are_still_reported(self):
        assert mismatches({"id": ORDER_ID}, {"total": "#number"}, contains=True) == [
            "$: missing key 'total', expected #number"
        ]

    def test_notpresent_still_applies(self):
        assert mismatches({"password": "p"}, {"password": "#notpresent"}, contains=True) == [
            "$.password: expected to be absent, found 'p'"
        ]

    def test_array_elements_are_found_in_any_order(self):
        actual = {"items": [{"sku": "MUG", "qty": 1}, {"sku": "KET", "qty": 2, "price": 25}]}
        assert mismatches(actual, {"items": [{"sku": "KET", "qty": 2}, {"sku": "MUG"}]}, contains=True) == []
        assert mismatches([3, 1, 2], [1, 3], contains=True) == []

    def test_an_unmatched_element_names_the_closest_candidate(self):
        actual = {"items": [{"sku": "MUG", "qty": 1}, {"sku": "KET", "qty": 1}]}
        [line] = mismatches(actual, {"items": [{"sku": "KET", "qty": 2}]}, contains=True)
        assert line.startswith('$.items: no element matches {"sku": "KET", "qty": 2}; ')
        assert line.endswith("closest: $.items[1].qty: expected 2, found 1")

    def test_an_empty_array_contains_nothing(self):
        assert mismatches([], ["#uuid"], contains=True) == [
            "$: no element matches #uuid (the array is empty)"
        ]

    def test_array_markers_keep_their_exact_meaning(self):
        assert mismatches([1, 2], "#[3]", contains=True) == ["$: expected 3 elements, found 2"]


class TestExpectedAsText:
    def test_a_doc_string_is_parsed(self):
        expected = """
        {
          "id": "#uuid",
          "code": "#regex [A-Z]{3}-\\\\d+",
          "password": "#notpresent"
        }
        """
        assert mismatches({"id": ORDER_ID, "code": "KET-1"}, expected) == []

    def test_a_bare_marker_is_a_marker_not_json(self):
        assert mismatches(ORDER_ID, "#uuid") == []
        assert mismatches(ORDER_ID, "  #uuid\n") == []

    def test_parse_expected_points_at_the_line_and_column_of_bad_json(self):
        text = '{\n  "id": "#uuid",\n  "total": #number\n}'
        with pytest.raises(ValueError, match=r"line 3, column 12") as raised:
            parse_expected(text)
        message = str(raised.value)
        assert '"total": #number' in message
        assert message.splitlines()[-1] == "    " + " " * 11 + "^"

    def test_bad_json_given_as_expected_raises_the_same_error(self):
        with pytest.raises(ValueError, match="not valid at line 1"):
            mismatches({}, "{'single': 'quotes'}")

    def test_empty_text_is_reported_rather_than_crashing(self):
        with pytest.raises(ValueError, match="line 1, column 1"):
            parse_expected("")


class TestUnknownMarkers:
    @pytest.mark.parametrize(
        ("typo", "named"),
        [
            ("#strnig", "#strnig"),
            ("#uuid4", "#uuid4"),
            ("#", "#"),
            ("#[x]", "#[x]"),
            ("#[] #strnig", "#strnig"),
            ("##nubmer", "##nubmer"),
            ("#string extra", "#string extra"),
        ],
    )
    def test_a_string_starting_with_hash_that_is_no_marker_is_refused_by_name(self, typo, named):
        with pytest.raises(ValueError, match="unknown JSON marker") as raised:
            mismatches({"a": "whatever"}, {"a": typo})
        assert repr(named) in str(raised.value)

    def test_a_close_typo_gets_a_suggestion(self):
        with pytest.raises(ValueError, match="did you mean '#string'"):
            mismatches("x", "#strnig")

    def test_typos_are_caught_even_where_the_actual_json_is_never_compared(self):
        with pytest.raises(ValueError, match="#emial"):
            mismatches({}, {"customer": {"email": "#emial"}}, contains=True)

    def test_regex_needs_a_valid_pattern(self):
        with pytest.raises(ValueError, match="needs a pattern"):
            mismatches("x", "#regex")
        with pytest.raises(ValueError, match=r"invalid pattern in JSON marker '#regex \[a-'"):
            mismatches("x", "#regex [a-")


class TestAssertion:
    def test_passes_silently_on_a_match(self):
        assert_json_matches({"id": ORDER_ID}, {"id": "#uuid"})
        match({"id": ORDER_ID}, '{"id": "#uuid"}')
        match_contains({"id": ORDER_ID, "extra": 1}, {"id": "#uuid"})

    def test_lists_all_mismatches_and_shows_the_actual_json(self):
        actual = {"id": "x", "hash": "abc"}
        with pytest.raises(AssertionError) as raised:
            assert_json_matches(actual, {"id": "#uuid"})
        message = str(raised.value)
        assert "(2 mismatches)" in message
        assert "  $.id: expected #uuid, found 'x'" in message
        assert "  $: unexpected key 'hash'" in message
        assert 'actual JSON:\n{\n  "id": "x",\n  "hash": "abc"\n}' in message

    def test_contains_mode_is_named_in_the_failure(self):
        with pytest.raises(AssertionError, match=r"does not contain the expected \(1 mismatch\)"):
            match_contains({}, {"id": "#uuid"})

    def test_exact_mode_is_the_default_for_match(self):
        with pytest.raises(AssertionError, match="unexpected key 'extra'"):
            match({"id": ORDER_ID, "extra": 1}, {"id": "#uuid"})

    def test_a_large_actual_json_is_truncated(self):
        actual = {"items": [{"sku": f"SKU-{n}", "name": "A very ordinary kettle"} for n in range(200)]}
        with pytest.raises(AssertionError) as raised:
            assert_json_matches(actual, {"items": "#[0]"})
        message = str(raised.value)
        assert "more characters)" in message
        assert len(message) < 2300
