"""The suite's Allure formatter: allure-behave's, plus what makes the report trustworthy and readable.

- Every run starts from empty results (Allure results and JUnit XML) unless `merge_results` is set
  (sharded runs, `make isolation`); scenarios left out by tags or names are not reported at all.
- Each result carries epic, feature, story, severity, links and plain tags (see metadata.py).
- Tables and texts attached to steps are masked (passwords, passes).
- What the run made of an attempt (support/reports/outcomes.py): a scenario that passed on a retry is
  marked flaky (its failed attempt stays visible as a retry); a quarantined scenario's failure is
  muted, with its issue and expiry; a broken quarantine is reported broken.

Settings, like the suite's: `-D name=value`, else the NAME environment variable: `merge_results`,
`issue_pattern`, `tms_pattern`.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import allure_commons
from allure_behave.formatter import AllureFormatter
from allure_behave.listener import AllureListener
from allure_behave.utils import TEST_PLAN_SKIP_REASON, scenario_status, scenario_status_details
from allure_commons import hookimpl
from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import Label, Link, Status, StatusDetails
from allure_commons.types import AttachmentType, LabelType
from allure_commons.utils import now, uuid4

from support.reports import metadata, readable_errors
from support.reports.masking import mask_rows, mask_text

#: Where this process writes Allure results; run facts (environment, executor) are written there too.
RESULTS_DIRS: list[Path] = []

TRUE = ("1", "true", "yes", "on")


def setting(userdata, name: str, default: str = "") -> str:
    value = userdata.get(name, os.environ.get(name.upper(), ""))
    return value if value != "" else default


class ShopAllureListener(AllureListener):
    def __init__(self, behave_config):
        super().__init__(behave_config)
        self.hide_excluded = True
        self.undefined: list[str] = []  # messages for undefined steps, with the closest known sentences
        self._scenario_undefined: str | None = None
        self._previous_start: int | None = None  # the last scenario result's start (see stop_scenario)
        self.patterns = {
            "issue": setting(behave_config.userdata, "issue_pattern"),
            "tms": setting(behave_config.userdata, "tms_pattern"),
        }

    def start_scenario(self, scenario):
        super().start_scenario(scenario)
        rule = _rule_of(scenario)
        about = metadata.describe(
            scenario.feature.filename or "", scenario.feature.name, list(scenario.feature.tags),
            rule.name if rule else None, list(rule.tags) if rule else [], list(scenario.tags), self.patterns,
        )
        result = self.logger.get_test(self.current_scenario_uuid)
        kept = (LabelType.FRAMEWORK, LabelType.LANGUAGE, LabelType.FEATURE)
        result.labels = [label for label in result.labels if label.name in kept]
        result.labels += [Label(LabelType.EPIC, about.epic), Label(LabelType.SEVERITY, about.severity)]
        result.labels += [Label(LabelType.PARENT_SUITE, about.epic), Label(LabelType.SUITE, about.feature)]
        if about.story:
            result.labels += [Label(LabelType.STORY, about.story), Label(LabelType.SUB_SUITE, about.story)]
        result.labels += [Label(LabelType.TAG, tag) for tag in about.tags]
        result.links = [Link(link.kind, link.url, link.name) for link in about.links]

    def start_behave_step(self, step):
        # allure-behave attaches a step's table and text unmasked; attach them masked instead.
        table, text = step.table, step.text
        step.table = step.text = None
        try:
            super().start_behave_step(step)
        finally:
            step.table, step.text = table, text
        if text:
            self.logger.attach_data(uuid4(), mask_text(text), name=".text", attachment_type=AttachmentType.TEXT)
        if table:
            self.logger.attach_data(uuid4(), _csv(table), name=".table", attachment_type=AttachmentType.CSV)

    def running_step(self):
        """The running step's result in the report. It takes attachments until its scenario's result is written,
        also after the step has ended (see support/reporting.py `step_page`)."""
        return self.logger.get_item(self.current_step_uuid) if self.current_step_uuid else None

    def stop_behave_step(self, result):
        if result.status.name != "undefined":
            return super().stop_behave_step(result)
        message = readable_errors.undefined_step_message(
            result.keyword, result.name, readable_errors.registered_sentences())
        self.undefined.append(message)
        self._scenario_undefined = message
        self.logger.stop_step(self.current_step_uuid, stop=now(), status=Status.BROKEN,
                              statusDetails=StatusDetails(message=message))

    def stop_scenario(self, scenario):
        # allure-behave's stop_scenario, plus the run's note on the scenario (flaky, quarantined).
        should_run = scenario.should_run_with_tags(self.behave_config.tag_expression or self.behave_config.tags)
        should_run = should_run and scenario.should_run_with_name_select(self.behave_config)
        # Only scenarios left out by the run's selection are dropped; one skipped while running is reported.
        if self.hide_excluded and (scenario.skip_reason == TEST_PLAN_SKIP_REASON or not should_run):
            self.logger.drop_test(self.current_scenario_uuid)
            self.current_scenario_uuid = None
            return
        self.flush_steps()
        result = self.logger.get_test(self.current_scenario_uuid)
        result.stop = now()
        result.status = scenario_status(scenario)
        result.statusDetails = scenario_status_details(scenario)
        if self._scenario_undefined:
            result.statusDetails, self._scenario_undefined = StatusDetails(message=self._scenario_undefined), None
        note = getattr(scenario, "report_note", None)
        if note is not None:
            _apply_note(result, note)
            # Allure shows the attempt that started last as the scenario's result and the others as its
            # retries; attempts that started in the same millisecond (a scenario that fails or passes at once)
            # are ordered by which result file it happened to read first. So each retry starts at least a
            # millisecond after the attempt before it (they run one after the other: that was the last result).
            if note.attempt > 1 and self._previous_start is not None and result.start <= self._previous_start:
                result.start = self._previous_start + 1
                result.stop = max(result.stop, result.start)
        self._previous_start = result.start
        self.logger.close_test(self.current_scenario_uuid)
        self.current_step_uuid = None
        self.group_context.append_test(self.current_scenario_uuid)
        self.group_context.exit()
        self.current_scenario_uuid = None


class ResultsWriter(AllureFileLogger):
    """allure-commons' file logger, writing on a thread of its own.

    A run writes about 2,500 files (a result per scenario, and every attachment: each step's evidence, the
    scenario's transcripts); creating one costs this machine 0.1-0.6 ms, about 1.5 s of a run spent
    waiting on the disk between steps. The writes now queue for one thread (in order), which does them
    while the run goes on. Nothing is lost: `flush` (the formatter's close) waits for every write, and a
    write that failed is raised on the run's own thread at its next report, and again at the flush.
    """

    def __init__(self, report_dir):
        super().__init__(report_dir)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="allure-results")
        self._lock = threading.Lock()  # the writer's thread records failures, the run's thread raises them
        self._failed: list[BaseException] = []
        self._raised = 0  # how many of them were raised already

    def _later(self, write, **item) -> None:
        self._raise_failure()
        self._writer.submit(write, self, **item).add_done_callback(self._done)

    def _done(self, future: Future) -> None:
        if future.exception() is not None:
            with self._lock:
                self._failed.append(future.exception())

    def _raise_failure(self, *, every: bool = False) -> None:
        """Raise a failed write not raised before (at the flush: any that failed, with how many did)."""
        with self._lock:
            failures = self._failed if every else self._failed[self._raised:]
            self._raised = len(self._failed)
        if failures:
            count = f" ({len(failures)} writes failed)" if every and len(failures) > 1 else ""
            raise OSError(f"an Allure result could not be written to {self._report_dir}: {failures[0]}{count}"
                          ) from failures[0]

    def flush(self) -> None:
        """Wait for every queued write; raise if any failed."""
        self._writer.shutdown(wait=True)
        self._raise_failure(every=True)

    @hookimpl
    def report_result(self, result):
        self._later(AllureFileLogger.report_result, result=result)

    @hookimpl
    def report_container(self, container):
        self._later(AllureFileLogger.report_container, container=container)

    @hookimpl
    def report_attached_file(self, source, file_name):
        self._later(AllureFileLogger.report_attached_file, source=source, file_name=file_name)

    @hookimpl
    def report_attached_data(self, body, file_name):
        self._later(AllureFileLogger.report_attached_data, body=body, file_name=file_name)

    @hookimpl
    def report_globals(self, globals_item):
        self._later(AllureFileLogger.report_globals, globals_item=globals_item)


class ShopAllureFormatter(AllureFormatter):
    name = "shop-allure"
    description = "Allure results with the suite's metadata (see support/reports/formatter.py)"

    def __init__(self, stream_opener, config):
        merge = setting(config.userdata, "merge_results", "false").lower() in TRUE
        if not stream_opener.name:
            raise ValueError("the Allure formatter needs a results folder: give it with -o DIR after its -f")
        results = Path(stream_opener.name).absolute()
        if results.is_file():  # left by a run that gave this path to another formatter
            results.unlink()
        if not merge:
            shutil.rmtree(results, ignore_errors=True)
            if getattr(config, "junit", False) and config.junit_directory:
                shutil.rmtree(config.junit_directory, ignore_errors=True)
        super().__init__(stream_opener, config)
        allure_commons.plugin_manager.unregister(self.listener)
        self.listener = ShopAllureListener(config)
        allure_commons.plugin_manager.register(self.listener)
        allure_commons.plugin_manager.unregister(self.file_logger)
        self.file_logger = ResultsWriter(results)
        allure_commons.plugin_manager.register(self.file_logger)
        RESULTS_DIRS.append(results)

    def result(self, step):
        super().result(step)
        # The console formatters run after this one: give them the answer instead of "None".
        if step.status.name == "undefined" and not step.error_message and self.listener.undefined:
            step.error_message = self.listener.undefined[-1]

    def close(self):
        if self.listener.undefined:
            print("\n" + "\n\n".join(dict.fromkeys(self.listener.undefined)) + "\n", file=sys.__stderr__)
        try:
            super().close()
        finally:
            self.file_logger.flush()

    def feature(self, feature):
        # allure-behave wraps only the feature's direct scenarios; those inside a Rule need it too.
        self._wrap_scenario(feature.walk_scenarios())


def _apply_note(result, note) -> None:
    """What the run made of this attempt (support/reports/outcomes.py), written into its result."""
    details, said = result.statusDetails or StatusDetails(), ""
    if note.problem:
        result.status, said = Status.BROKEN, note.problem
    elif note.attempt > 1 and result.status == Status.PASSED:
        details.flaky = True
        said = f"Flaky: passed on attempt {note.attempt} after failing ({note.first_failure})"
        result.labels.append(Label(LabelType.TAG, "flaky"))
    elif note.quarantine and result.status in (Status.FAILED, Status.BROKEN):
        details.muted = True
        said = (f"Quarantined until {note.quarantine.until} (issue {note.quarantine.issue}): "
                "this failure does not fail the run")
    if note.quarantine:
        result.labels.append(Label(LabelType.TAG, f"quarantined until {note.quarantine.until}"))
    if said:
        details.message = f"{said}\n\n{details.message}" if details.message else said
        result.statusDetails = details


def _rule_of(scenario):
    parent = getattr(scenario, "parent", None)
    while parent is not None and type(parent).__name__ not in ("Rule", "Feature"):
        parent = getattr(parent, "parent", None)
    return parent if parent is not None and type(parent).__name__ == "Rule" else None


def _csv(table) -> str:
    with io.StringIO() as buffer:
        writer = csv.writer(buffer)
        writer.writerow(table.headings)
        writer.writerows(mask_rows(list(table.headings), [list(r.cells) for r in table.rows]))
        return buffer.getvalue()

