"""Attachments to the Allure result of the running scenario (or of its running step), masked."""
from __future__ import annotations

import functools

import allure

from support.reports import run_facts
from support.reports.formatter import RESULTS_DIRS
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
