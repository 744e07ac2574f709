"""Uses servers that are already running at the configured URLs, and explains clearly when they are not.

The explanation lives here because every route ends at it: when no way of getting the servers works,
the person running the suite needs one message naming each server, where it was looked for, what was
tried, and what to do next.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from support.servers.stack.probe import ProbeResult, probe_services
from support.servers.stack.services import (
    DEFAULT_URLS,
    URL_SETTINGS,
    ProvisionedStack,
    Services,
    StackUnavailable,
    masked,
)


def provision(urls: Mapping[str, str]) -> ProvisionedStack:
    results = probe_services(urls)
    if not all(result.answered for result in results):
        raise StackUnavailable(unavailable_message("external", results))
    return ProvisionedStack(external_services(urls))


def external_services(urls: Mapping[str, str]) -> Services:
    # Nothing to stop: these servers belong to someone else, so the stack has no teardown.
    return Services(urls["DATABASE_URL"], urls["REDIS_URL"], urls["RABBITMQ_URL"], mode="external")


def unavailable_message(mode: str, results: Sequence[ProbeResult], other_attempts: Sequence[str] = ()) -> str:
    """The one message a run stops with when it cannot get its servers.

    `other_attempts` are lines like "docker: no Docker engine answered (...)" from the routes tried
    after the configured URLs failed.
    """
    unreachable = [result for result in results if not result.answered]
    lines = [
        f"The acceptance suite cannot get the servers it needs (stack={mode}).",
        "",
        "Not answering at the configured URL:" if unreachable else "All configured URLs answered.",
    ]
    for result in unreachable:
        lines += [
            f"  - {result.service} at {result.shown_url}  ({result.setting})",
            f"      tried: {result.tried}",
            f"      got:   {result.problem}",
        ]
    if other_attempts:
        lines += ["", "Also tried:"] + [f"  - {attempt}" for attempt in other_attempts]
    lines += ["", "How to fix (any one of):"]
    requested = DEFAULT_URLS | {result.setting: result.url for result in results}
    lines += _fixes(mode, unreachable, requested)
    return "\n".join(lines)


def _fixes(mode: str, unreachable: Sequence[ProbeResult], requested: Mapping[str, str]) -> list[str]:
    names = ", ".join(result.setting for result in unreachable) or ", ".join(URL_SETTINGS)
    fixes = [
        f"  - start the servers, or point {names} at servers that answer "
        f"(defaults: {'; '.join(masked(DEFAULT_URLS[s]) for s in URL_SETTINGS)})",
    ]
    if mode in ("external", "auto"):
        fixes += [
            "  - with a running Docker engine: -D stack=docker (or STACK=docker), which starts the servers of "
            "docker-compose.test.yml for this run only, on ports of its own (`make images` first where the "
            "official images cannot be pulled)",
            "  - with postgres, redis-server and rabbitmq-server installed: -D stack=local (or STACK=local), "
            "which runs private copies on free ports for this run only",
        ]
    return fixes
