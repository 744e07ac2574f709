"""Attachments to the Allure result of the running scenario."""
from __future__ import annotations

import allure


def attach_text(name: str, text: str) -> None:
    if text.strip():
        allure.attach(text, name=name, attachment_type=allure.attachment_type.TEXT)


def attach_json(name: str, text: str) -> None:
    allure.attach(text, name=name, attachment_type=allure.attachment_type.JSON)


def attach_png(name: str, png: bytes) -> None:
    allure.attach(png, name=name, attachment_type=allure.attachment_type.PNG)
