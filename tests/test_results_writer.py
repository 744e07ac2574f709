"""The Allure results writer: every result and attachment lands on disk by the flush, written on a
thread of its own, and a write that failed is raised, never dropped."""
from __future__ import annotations

import json
import shutil
import threading

import pytest
from allure_commons import model2

from support.reports.formatter import ResultsWriter


def test_every_result_and_attachment_is_on_disk_after_the_flush(tmp_path):
    writer = ResultsWriter(tmp_path)
    for n in range(200):
        writer.report_attached_data(body=f"exchange {n}", file_name=f"{n}-attachment.txt")
    writer.report_result(result=model2.TestResult(uuid="u1", name="A customer signs in"))
    writer.flush()

    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 201 and not [f for f in files if f.endswith(".tmp")], files[:5]
    assert (tmp_path / "137-attachment.txt").read_text() == "exchange 137"
    [result] = [json.loads(p.read_text()) for p in tmp_path.glob("*-result.json")]
    assert result["name"] == "A customer signs in"


def test_the_writes_happen_off_the_runs_thread(tmp_path, monkeypatch):
    writers: list[str] = []
    original = ResultsWriter.__mro__[1].report_attached_data

    def noting(self, body, file_name):
        writers.append(threading.current_thread().name)
        return original(self, body, file_name)

    monkeypatch.setattr(ResultsWriter.__mro__[1], "report_attached_data", noting)
    writer = ResultsWriter(tmp_path)
    writer.report_attached_data(body="x", file_name="a.txt")
    writer.flush()
    assert writers and threading.current_thread().name not in writers, writers


def test_a_write_that_failed_is_raised_at_the_next_report_and_at_the_flush(tmp_path):
    results = tmp_path / "allure-results"
    writer = ResultsWriter(results)
    shutil.rmtree(results)
    results.write_text("not a folder")  # every write into it fails now
    writer.report_attached_data(body="lost?", file_name="a.txt")
    writer._writer.submit(lambda: None).result()  # the failed write is done (one thread: in order)

    with pytest.raises(OSError, match="could not be written to .*allure-results"):
        writer.report_attached_data(body="next", file_name="b.txt")
    with pytest.raises(OSError, match="could not be written"):
        writer.flush()
