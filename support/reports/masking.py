"""Passwords and passes never reach a report: attachments are masked before they are written.

Covers JSON and form fields whose name says secret, authorization headers (the scheme is kept), any
JWT-shaped pass wherever it appears, and table columns named like a password.
"""
from __future__ import annotations

import re

MASK = "••••••"
_SECRET_NAME = r"(?:[\w-]*password[\w-]*|pass|token|access_?token|refresh_?token|secret|api_?key|jwt)"
_JSON_FIELD = re.compile(rf'("{_SECRET_NAME}"\s*:\s*)"(?:[^"\\]|\\.)*"', re.IGNORECASE)
_FORM_FIELD = re.compile(rf"(\b{_SECRET_NAME}=)[^&\s]+", re.IGNORECASE)
_AUTH_HEADER = re.compile(r"^((?:proxy-)?authorization|x-api-key|api-key)(:\s*)(?:(bearer|basic|token)\s+)?\S.*$",
                          re.IGNORECASE | re.MULTILINE)
_JWT = re.compile(r"\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]+")
_SECRET_HEADING = re.compile(rf"^{_SECRET_NAME}$", re.IGNORECASE)


def mask_text(text: str) -> str:
    text = _AUTH_HEADER.sub(lambda m: f"{m[1]}{m[2]}{(m[3] + ' ') if m[3] else ''}{MASK}", text)
    text = _JSON_FIELD.sub(rf'\1"{MASK}"', text)
    text = _FORM_FIELD.sub(rf"\1{MASK}", text)
    return _JWT.sub(f"eyJ{MASK}(a pass)", text)


def is_secret_heading(heading: str) -> bool:
    return bool(_SECRET_HEADING.match(heading.strip().replace(" ", "_")))


def mask_rows(headings: list[str], rows: list[list[str]]) -> list[list[str]]:
    secret = [is_secret_heading(h) for h in headings]
    return [[MASK if secret[i] and cell else cell for i, cell in enumerate(row)] for row in rows]
