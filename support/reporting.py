"""Attachments to the Allure result of the running scenario (or of its running step), masked."""
from __future__ import annotations

import functools

import allure
import allure_commons
from allure_commons.model2 import ATTACHMENT_PATTERN, Attachment
from allure_commons.types import AttachmentType
from allure_commons.utils import uuid4

from support.reports import run_facts
from support.reports.formatter import RESULTS_DIRS, ShopAllureListener
from support.reports.masking import mask_text


def attach_text(name: str, text: str) -> None:
    if text.strip():
        allure.attach(mask_text(text), name=name, attachment_type=allure.attachment_type.TEXT)


def attach_parts(name: str, parts: list[str], separator: str) -> None:
    """One attachment of several parts, each masked once however often it is attached: the same HTTP
    exchange goes on its step's page and again in the scenario's whole transcript."""
    if parts:
        allure.attach(separator.join(_masked(part) for part in parts), name=name,
                      attachment_type=allure.attachment_type.TEXT)


@functools.lru_cache(maxsize=512)
def _masked(text: str) -> str:
    return mask_text(text)


class StepPage:
    """One step's page in the report, kept to attach to once the step has ended: what is learnt later about
    the step (an answer it did not wait for) still goes on its page. Good until the scenario's result is
    written, at the scenario's very end."""

    def __init__(self, step_result):
        self._step = step_result

    def attach_text(self, name: str, text: str) -> None:
        if not text.strip():
            return
        # As allure-commons' own attach does for the running step (AllureReporter._attach).
        file_name = ATTACHMENT_PATTERN.format(prefix=uuid4(), ext=AttachmentType.TEXT.extension)
        self._step.attachments.append(Attachment(name=name, source=file_name, type=AttachmentType.TEXT.mime_type))
        allure_commons.plugin_manager.hook.report_attached_data(body=mask_text(text), file_name=file_name)


def step_page() -> StepPage | None:
    """The running step's page; None when no Allure report is written (or no step runs)."""
    for plugin in allure_commons.plugin_manager.get_plugins():
        if isinstance(plugin, ShopAllureListener):
            step = plugin.running_step()
            return StepPage(step) if step is not None else None
    return None


def attach_json(name: str, text: str) -> None:
    allure.attach(mask_text(text), name=name, attachment_type=allure.attachment_type.JSON)


def record_run(settings, services) -> None:
    """The run's environment and executor, for the report's overview (support/reports/run_facts.py)."""
    facts = {
        "stack": services.mode,
        "shop": getattr(settings, "shop", "in-process"),
        "seed": str(settings.seed),
        "order": settings.order,
        "retries": str(getattr(settings, "retries", 0)),
        **{f"{name} version": version for name, version in run_facts.server_versions(
            services.database_url, services.redis_url, services.rabbitmq_url).items()},
    }
    run_facts.write(RESULTS_DIRS, run_facts.environment(facts), run_facts.executor())


def attach_png(name: str, png: bytes) -> None:
    allure.attach(png, name=name, attachment_type=allure.attachment_type.PNG)
