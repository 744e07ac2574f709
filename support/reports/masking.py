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


# Cheap tests first: most attachments hold no secret-looking name at all, and a regular expression
# scanning every character of a long transcript is what makes masking cost (measured: 1.9 ms for a
# 44 kB transcript before, see `make bench`'s outside-the-steps share).
_KEYWORDS = ("pass", "token", "secret", "key", "jwt")
# Only name=value pairs, each starting at the start of a name, are looked at for _FORM_FIELD: scanning
# every position for `[\w-]*password` backtracks through every word.
_FORM_PAIR = re.compile(r"(?<![\w-])[\w-]+=[^&\s]+")


def mask_text(text: str) -> str:
    lowered = text.lower()
    if "authorization" in lowered or "api-key" in lowered:
        text = _AUTH_HEADER.sub(lambda m: f"{m[1]}{m[2]}{(m[3] + ' ') if m[3] else ''}{MASK}", text)
    if any(keyword in lowered for keyword in _KEYWORDS):
        if '"' in text:
            text = _JSON_FIELD.sub(rf'\1"{MASK}"', text)
        if "=" in text:
            text = _FORM_PAIR.sub(_masked_pair, text)
    if "eyJ" in text:
        text = _JWT.sub(f"eyJ{MASK}(a pass)", text)
    return text


def _masked_pair(pair: re.Match) -> str:
    lowered = pair[0].lower()
    if any(keyword in lowered for keyword in _KEYWORDS):
        return _FORM_FIELD.sub(rf"\1{MASK}", pair[0])
    return pair[0]


def is_secret_heading(heading: str) -> bool:
    return bool(_SECRET_HEADING.match(heading.strip().replace(" ", "_")))


def mask_rows(headings: list[str], rows: list[list[str]]) -> list[list[str]]:
    secret = [is_secret_heading(h) for h in headings]
    return [[MASK if secret[i] and cell else cell for i, cell in enumerate(row)] for row in rows]
