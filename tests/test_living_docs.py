"""The living documentation read in headless Chromium: every sentence of steps/ is there with its
description, parameters and an example, and the features show their latest results. Every step says in
words what it does (its docstring is the description), and `make docs` builds the page from a fresh process."""
from __future__ import annotations

import ast
import json
import subprocess
import sys

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


def test_every_step_says_in_words_what_it_does():
    steps = sorted(docs.ROOT.joinpath("steps").glob("*.py"))
    undescribed = [
        f"{path.relative_to(docs.ROOT)}:{node.lineno} {node.name}"
        for path in steps for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef) and any(_is_step_decorator(d) for d in node.decorator_list)
        and not (ast.get_docstring(node) or "").strip()
    ]
    assert len(steps) > 10 and not undescribed, (
        "each step function needs a one-line docstring saying, for a product owner, what its sentence does or "
        "checks (the living documentation shows it); these have none:\n  " + "\n  ".join(undescribed))


def _is_step_decorator(node) -> bool:
    call = node.func if isinstance(node, ast.Call) else node
    name = call.attr if isinstance(call, ast.Attribute) else getattr(call, "id", "")
    return name in ("given", "when", "then", "step")


def test_make_docs_builds_the_page_in_a_process_of_its_own(tmp_path):
    # A fresh process, as `make docs` runs it: step modules named like libraries (steps/graphql.py) must not
    # shadow the libraries the shop imports (pytest's process has imported them already).
    output = tmp_path / "index.html"
    run = subprocess.run([sys.executable, "-m", "support.reports.docs", "--output", str(output),
                          "--results", str(tmp_path / "no-results")],
                         cwd=docs.ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    assert "Living documentation:" in run.stdout and output.stat().st_size > 10_000
