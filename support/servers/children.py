"""What every child process the suite starts shares: it ends with the run, however the run ends."""
from __future__ import annotations

import contextlib
import ctypes
import os
import signal


def die_with_parent() -> None:
    """In the child, before exec: receive SIGTERM when the run's process ends, however it ends (Linux)."""
    # Not Linux (no libc.so.6): atexit and the signal handlers still stop the children.
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (owned by anyone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
