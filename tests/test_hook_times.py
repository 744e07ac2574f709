"""`make bench`'s breakdown of the time outside the steps: each part timed where it runs, counted per call,
and the rest told as "elsewhere". Run in a process of its own: the timing wrappers stay for the process."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# A storefront check of 20 ms, timed by hook_times, as a run's after_step calls it.
STOREFRONT_CHECK = """
import time
began = time.perf_counter()
from support.commands import hook_times
hook_times.instrument()
from support.storefront import evidence

class Session:
    def expect_no_console_errors(self):
        time.sleep(0.02)

class Step:
    class status:
        name = "passed"
"""

SCRIPT = STOREFRONT_CHECK + """
for _ in range(3):
    evidence.after_step(Session(), Step(), last=False)
print(hook_times.report(1.0))
"""


def _breakdown(script: str) -> list[str]:
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         check=False)
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()


def test_the_breakdown_names_each_timed_part_with_its_calls_and_leaves_the_rest_elsewhere():
    lines = _breakdown(SCRIPT)
    assert lines[0] == "time outside the steps, by where it goes:"
    [storefront] = [line for line in lines if "the storefront's console check and screenshots" in line]
    assert "(3 calls," in storefront, storefront
    seconds = float(storefront.split()[0])
    assert seconds >= 0.06, f"three calls of 20 ms each were timed as {seconds} s"
    # A part "of which" is inside a hook or a teardown; it is not taken from the rest a second time.
    assert lines[-1].split()[:3] == ["1.00", "s", "elsewhere"], lines[-1]


SPLIT = STOREFRONT_CHECK + """
time.sleep(0.05)  # the start-up, after `began` and before the first timed call
evidence.after_step(Session(), Step(), last=False)
time.sleep(0.03)  # the end
print(hook_times.report(time.perf_counter() - began, began))
"""


def test_given_when_the_run_began_elsewhere_is_split_into_the_start_up_the_end_and_between():
    lines = _breakdown(SPLIT)
    [elsewhere] = [float(line.split()[0]) for line in lines if " s elsewhere " in line]
    [start_up] = [float(line.split()[0]) for line in lines if "of which: the start-up" in line]
    [end] = [float(line.split()[0]) for line in lines if "of which: the end" in line]
    [between] = [float(line.split()[0]) for line in lines if "of which: between the hooks" in line]
    assert start_up >= 0.05 and end >= 0.03, lines
    assert abs(start_up + end + between - elsewhere) <= 0.011, lines  # each printed to the hundredth
