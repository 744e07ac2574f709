"""How scenarios are labelled for Allure, and what attachments never show."""
from support.reports.masking import MASK, mask_rows, mask_text
from support.reports.metadata import describe, epic_of, links_of, severity_of

PATTERNS = {"issue": "https://tracker.example/issues/{}", "tms": ""}


def test_epic_comes_from_the_feature_tag_else_its_folder_else_its_file():
    assert epic_of("features/orders.feature", ["epic:Buying"]) == "Buying"
    assert epic_of("features/accounts/users.feature", []) == "Accounts"
    assert epic_of("features/order_events.feature", ["api-contract"]) == "Order events"


def test_severity_scenario_tag_wins_then_rule_then_feature_then_normal():
    assert severity_of(["minor"], ["critical"], ["blocker"]) == "minor"
    assert severity_of([], ["critical"], ["blocker"]) == "critical"
    assert severity_of([], [], ["blocker"]) == "blocker"
    assert severity_of(["api-contract"], [], []) == "normal"


def test_links_follow_the_patterns_and_keep_full_urls():
    links = links_of(["issue:11", "tms:TC-7", "link:https://wiki.example/refunds", "wip"], PATTERNS)
    assert [(link.kind, link.name, link.url) for link in links] == [
        ("issue", "issue 11", "https://tracker.example/issues/11"),
        ("tms", "tms TC-7", "TC-7"),
        ("link", "https://wiki.example/refunds", "https://wiki.example/refunds"),
    ]


def test_story_is_the_rule_and_plain_tags_stay_tags():
    about = describe("features/orders.feature", "Orders", ["epic:Buying", "critical"], "Stock is never negative",
                     [], ["issue:3", "api-contract"], PATTERNS)
    assert (about.epic, about.feature, about.story, about.severity) == (
        "Buying", "Orders", "Stock is never negative", "critical")
    assert about.tags == ["api-contract"]


def test_passwords_and_passes_are_masked_in_attachments():
    text = ('POST /api/sign-in\nAuthorization: Bearer abc.def.ghi\n\n'
            '{"email": "a@example.com", "password": "s3cret-pw", "newPassword": "x\\"y"}\n'
            '<- 200\n{"token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln", "tokenType": "Bearer"}\n'
            'form: name=Ann&password=hunter2\nlog: pass eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln used')
    masked = mask_text(text)
    for secret in ("s3cret-pw", 'x\\"y', "hunter2", "abc.def.ghi", "eyJzdWIiOiJhIn0"):
        assert secret not in masked, f"{secret!r} still readable in:\n{masked}"
    assert f"Authorization: Bearer {MASK}" in masked and '"tokenType": "Bearer"' in masked
    assert '"email": "a@example.com"' in masked


def test_password_columns_of_tables_are_masked():
    assert mask_rows(["name", "password"], [["Ann", "pw-1"], ["Bob", ""]]) == [["Ann", MASK], ["Bob", ""]]


def test_a_quarantine_needs_an_issue_and_a_date_that_has_not_passed():
    import datetime

    import pytest

    from support.reports.outcomes import Quarantine, QuarantineError, quarantine_of

    today = datetime.date(2026, 11, 25)
    assert quarantine_of(["api-contract"], today) is None
    assert quarantine_of(["quarantine", "issue:12", "until:2026-11-25"], today) == Quarantine(
        "12", datetime.date(2026, 11, 25))
    for tags, says in ((["quarantine", "until:2026-12-01"], "needs the issue"),
                       (["quarantine", "issue:12"], "expiry date"),
                       (["quarantine", "issue:12", "until:soon"], "is not a date"),
                       (["quarantine", "issue:12", "until:2026-11-24"], "expired on 2026-11-24")):
        with pytest.raises(QuarantineError, match=says):
            quarantine_of(tags, today)
