"""`make bench`'s arithmetic on behave's own summary: the time in steps, the share outside them, the
scenarios counted over several summaries (the parallel runner prints one per worker), and the cores
the machine kept busy meanwhile."""
import os
import sys
import textwrap

from support.commands import bench_scale


def test_a_runs_summary_becomes_its_figures():
    summary = textwrap.dedent("""
        2 features passed, 0 failed, 0 skipped
        119 scenarios passed, 1 failed, 0 skipped
        Took 1min 2.5s
        118 scenarios passed, 0 failed, 2 skipped
        Took 0min 30.0s
    """)
    # Busy until it has used 0.1 s of CPU (past the 0.05 s a CPU line leaves out), however fast the machine.
    script = (f"import time\ntime.sleep(0.3)\nbegan = time.process_time()\n"
              f"while time.process_time() - began < 0.1:\n    pass\nprint({summary!r})")
    timing = bench_scale._run("2 workers", [sys.executable, "-c", script])
    assert (timing.passed, timing.failed, timing.status) == (237, 1, 0)
    assert timing.in_steps == 92.5
    assert timing.wall >= 0.3
    assert timing.outside_steps == 0.0, "more step time than wall time (workers add up) is no negative share"
    assert timing.cores_busy is not None and 0 < timing.cores_busy <= os.cpu_count()
    line = timing.line()
    assert line.startswith("2 workers: ") and "237 scenarios passed, 1 failed (passed)" in line
    assert f"of {os.cpu_count()} cores busy" in line
    assert timing.cpu["the run's processes"] >= 0.1, "the child's busy loop is its CPU time"
    assert timing.cpu_line().startswith("CPU ") and "the run's processes" in timing.cpu_line()


def test_the_shared_servers_cpu_is_read_from_proc():
    used = bench_scale._server_cpu()
    assert "PostgreSQL" in used and used["PostgreSQL"] > 0, used


def test_the_one_worker_run_says_where_its_time_outside_the_steps_went():
    timing = bench_scale.behave("1 worker", ["--dry-run", "features/health.feature"], breakdown=True)
    assert timing.breakdown.startswith("time outside the steps, by where it goes:"), timing.breakdown
    assert "elsewhere (start-up" in timing.breakdown


def test_pairs_of_runs_give_each_speed_up_and_their_median(monkeypatch):
    walls = iter([40.0, 25.0, 44.0, 25.0, 39.0, 26.0])  # one worker, two workers, alternating

    def timed(label, *args, **kwargs):
        return bench_scale.SuiteTiming(label, next(walls) if "shard" not in label else 20.0, 30.0, 238, 0, 0)

    monkeypatch.setattr(bench_scale, "behave", timed)
    monkeypatch.setattr(bench_scale, "workers", lambda count, args: timed(f"{count} workers"))
    lines, status = bench_scale.report([], pairs=3)
    assert status == 0
    assert "2 workers against 1 over 3 pairs of runs: 40.0/25.0 s 1.60x, 44.0/25.0 s 1.76x, 39.0/26.0 s 1.50x" in lines
    assert "2 workers against 1: median 1.60x faster, 1.50-1.76x (target: at least 1.6x)" in lines


def test_a_failed_run_says_what_failed():
    scenario = "features/documents.feature:41  A link to a receipt stops working when it expires"
    summary = (f"Failing scenarios:\n  {scenario}\n\n0 features passed, 1 failed, 0 skipped\n"
               "95 scenarios passed, 1 failed, 1 skipped\nTook 0min 30.8s\n")
    failed = bench_scale._run("2 workers", [sys.executable, "-c", f"import sys\nprint({summary!r})\nsys.exit(1)"])
    assert failed.problem == [f"failing: {scenario}"]
    assert failed.lines()[1] == "  " + failed.problem[0] and "(FAILED)" in failed.lines()[0]
    crash = "import sys\nprint('the suite cannot start')\nsys.exit(2)"
    crashed = bench_scale._run("1 worker", [sys.executable, "-c", crash])
    assert crashed.problem == ["exit 2; it printed last:", "  the suite cannot start"]


def test_a_run_that_failed_in_a_later_pair_is_shown_with_what_failed(monkeypatch):
    walls = iter([40.0, 25.0, 44.0, 25.0, 39.0, 26.0])
    broken = bench_scale.SuiteTiming("2 workers", 26.0, 30.0, 237, 1, 1, problem=["failing: features/x.feature:3  X"])

    def timed(label, *args, **kwargs):
        wall = next(walls) if "shard" not in label else 20.0
        return broken if wall == 26.0 else bench_scale.SuiteTiming(label, wall, 30.0, 238, 0, 0)

    monkeypatch.setattr(bench_scale, "behave", timed)
    monkeypatch.setattr(bench_scale, "workers", lambda count, args: timed(f"{count} workers"))
    lines, status = bench_scale.report([], pairs=3)
    assert status == 1
    at = lines.index("  in a later pair, " + broken.line())
    assert lines[at + 1] == "    failing: features/x.feature:3  X"
