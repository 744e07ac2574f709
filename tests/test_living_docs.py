"""The living documentation read in headless Chromium: every sentence of steps/ is there with its
description, parameters and an example, and the features show their latest results."""
from __future__ import annotations

import json

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from support.reports import docs
from support.reports.browser import chromium, screenshot


def test_living_documentation_lists_every_sentence_and_the_latest_results(tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    # One scenario of the real features as the last run left it: failed (the others were not run).
    feature = next(iter(sorted(docs.ROOT.joinpath("features").glob("*.feature"))))
    from behave.parser import parse_file
    parsed = parse_file(str(feature))
    scenario = next(s for s in parsed.walk_scenarios() if not getattr(s, "_row", None))
    (results / "x-result.json").write_text(json.dumps({"fullName": f"{parsed.name}: {scenario.name}",
                                                       "status": "failed"}))
    output = tmp_path / "docs" / "index.html"
    sentences, features = docs.build(output, results)
    used = next(s for s in sentences if s.examples and s.parameters)

    with chromium() as browser:
        browser.get(output.as_uri())
        articles = WebDriverWait(browser, 20).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, "article.sentence"), "no sentence shown")
        shown = len(articles)
        page = browser.find_element(By.TAG_NAME, "body").text
        failed = browser.find_element(By.CSS_SELECTOR, "details.scenario.failed summary").text
        screenshot(browser, "living-docs")
        box = browser.find_element(By.ID, "filter")
        box.send_keys(used.pattern.split("{")[0].strip() or used.pattern[:12])
        visible = [a for a in articles if a.is_displayed()]

    assert shown == len(sentences) >= 100, f"expected every sentence of steps/ ({len(sentences)}), shown {shown}"
    assert used.description in page and used.examples[0] in page, \
        f"the sentence {used.pattern!r}: expected its description and an example on the page"
    assert all(name in page for name, _ in used.parameters), f"parameters of {used.pattern!r} missing"
    assert all(f.name in page for f in features), "a feature is missing from the page"
    assert 0 < len(visible) < shown, f"the filter should narrow the sentences; {len(visible)} of {shown} visible"
    assert scenario.name in failed, f"expected the failed scenario {scenario.name!r} marked failed; found {failed!r}"
