"""The row sweep of tests/bench/bench_sweep.py on one real worker, then on three, on Redis +
PostgreSQL (the engine users run more workers on).

    REDIS_URL=redis://… DATABASE_URL=postgres://… python -m tests.bench --only sweep_workers

The rows are built once first (in this process), so both timed sweeps find the same rows
with nothing to change; each dispatches the three standalone row jobs at once and waits for
all three. The Plex double runs in this process.

While each timed sweep runs, the CPU time (utime + stime from /proc) of what does its work is
counted: the workers, this process's other threads (the Plex double: one Python process, so
one core at most, whatever the number of workers), and the PostgreSQL backends of the database
(when they run on this machine). Nothing in a sweep sleeps, so one job on one worker is a chain
of CPU work (worker, double, database, one after the other), and three workers cannot finish
before the largest of: all the CPU time ÷ the cores, the double's CPU time, the longest job's.

Figures:
  sweep_seconds_1_worker    the three jobs on one worker
  sweep_seconds_3_workers   the same on three workers
  sweep_workers_speedup     1 worker ÷ 3 workers (target >= 2; see the note)
  sweep_workers_cpu_seconds_1_worker / _3_workers   CPU time of the whole sweep
  sweep_workers_cpu_seconds_{workers,plex_double,postgres}   its parts, on one worker
  sweep_workers_cpu_seconds_longest_job     the longest job's chain, on one worker
  sweep_workers_speedup_bound   CPU time on one worker ÷ the least time three can take
  sweep_workers_other_load_cores   cores other processes on the machine kept busy meanwhile
  sweep_workers_bound       the sentence saying what bounds the speedup, with those numbers
  sweep_workers_note        how it was run, or why it was skipped (no PostgreSQL or Redis)
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

from tests.bench import benchmark

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_of(pid: int | str) -> float | None:
    """utime + stime of a process (all its threads, live and ended), in seconds."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _machine_busy() -> float:
    """CPU seconds the whole machine has spent not idle since boot."""
    values = [int(v) for v in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICKS


def _backends(database: str) -> list[str]:
    """Pids of this machine's PostgreSQL backends serving `database`."""
    found = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                words = (entry / "cmdline").read_bytes().decode(errors="replace").split()
            except OSError:
                continue
            if words[:1] == ["postgres:"] and database in words[1:4]:
                found.append(entry.name)
    return found


class CpuMeter:
    """CPU seconds of the sweep's workers, of this process's threads other than the one
    waiting for the runs (the Plex double's handlers), and of the database's backends, which
    come and go with connections, so a thread samples them every 0.25 s."""

    def __init__(self, workers: list, database: str):
        self.workers, self.database = [p.pid for p in workers], database
        self.backends: dict[str, float] = {}  # pid -> highest CPU seen
        self.baseline = {pid: _cpu_of(pid) or 0.0 for pid in _backends(database)}
        self.sampler_cpu = 0.0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, name="cpu-meter", daemon=True)
        self.start = self._own()
        self.worker_start = {pid: _cpu_of(pid) or 0.0 for pid in self.workers}
        self.machine_start, self.wall_start = _machine_busy(), time.monotonic()
        self.thread.start()

    @staticmethod
    def _own() -> tuple[float, float]:
        times = os.times()
        return times.user + times.system, time.thread_time()

    def _sample(self) -> None:
        while not self.stop.wait(0.25):
            for pid in _backends(self.database):
                cpu = _cpu_of(pid)
                if cpu is not None:
                    self.backends[pid] = max(self.backends.get(pid, 0.0), cpu)
            self.sampler_cpu = time.thread_time()

    def now(self) -> dict:
        """CPU seconds each part has used since the meter started."""
        process, main = self._own()
        workers = sum((_cpu_of(pid) or self.worker_start[pid]) - self.worker_start[pid]
                      for pid in self.workers)
        backends = dict(self.backends)
        postgres = sum(cpu - self.baseline.get(pid, 0.0) for pid, cpu in backends.items())
        double = (process - self.start[0]) - (main - self.start[1]) - self.sampler_cpu
        return {"workers": workers, "plex_double": double, "postgres": postgres,
                "total": workers + double + postgres, "postgres_seen": bool(backends)}

    def finish(self) -> dict:
        self.stop.set()
        self.thread.join(timeout=5)
        figures = self.now()
        wall = time.monotonic() - self.wall_start
        others = (_machine_busy() - self.machine_start) - figures["total"]
        figures.update(wall=wall, other_cores=max(0.0, others / wall) if wall else 0.0)
        return figures


def _timed_sweep(workers: int, scale, log_dir: Path) -> tuple[float, dict]:
    """Seconds the three jobs took on `workers` workers, and the CPU they used (with the CPU
    used up to each job's end, for the job chains of a one-worker sweep)."""
    from django.db import connection

    from jobs.dispatch import dispatch
    from jobs.models import JobRun
    from tests.bench.bench_sweep import JOBS
    from tests.jobs import procs

    with procs.processes() as started:
        for n in range(workers):
            started.append(procs.start_worker(f"sweep{workers}-{n}", log_dir,
                                              PLEX_TV_URL=scale.plextv.url))
        meter = CpuMeter(started, connection.settings_dict["NAME"]) if PROC.exists() else None
        began = time.perf_counter()
        runs = {dispatch(job, trigger="manual").pk: job for job in JOBS}
        ended: dict[str, dict] = {}
        deadline = time.monotonic() + 1800
        while len(ended) < len(runs) and time.monotonic() < deadline:
            for job in JobRun.objects.filter(pk__in=runs).exclude(
                    status__in=("queued", "running")).values_list("job", flat=True):
                if job not in ended:
                    ended[job] = meter.now() if meter else {}
            time.sleep(0.2)
        seconds = time.perf_counter() - began
        cpu = meter.finish() if meter else {}
        assert len(ended) == len(runs), procs.tail(started[0])
        statuses = set(JobRun.objects.filter(pk__in=runs).values_list("status", flat=True))
        assert statuses == {"succeeded"}, (statuses, procs.tail(started[0]))
    cpu["ended"] = ended
    return seconds, cpu


def _job_chains(cpu: dict) -> dict[str, float]:
    """On one worker the jobs run one after the other: each one's CPU is what was used
    between the previous one's end and its own."""
    chains, before = {}, 0.0
    for job, used in sorted(cpu["ended"].items(), key=lambda item: item[1]["total"]):
        chains[job], before = used["total"] - before, used["total"]
    return chains


def bound(one: dict, three: dict, cores: int) -> dict:
    """What keeps three workers from being faster, from the CPU each part used."""
    chains = _job_chains(one)
    longest = max(chains, key=chains.get)
    limits = {f"{cores} cores for {three['total']:.0f} s of CPU": three["total"] / cores,
              "the Plex double (one Python process, one core)": three["plex_double"],
              f"the longest job ({longest}, one worker)": chains[longest]}
    binding = max(limits, key=limits.get)
    least = limits[binding]
    speedup = one["total"] / least
    parts = (f"workers {one['workers']:.0f} s, Plex double {one['plex_double']:.0f} s, "
             + (f"PostgreSQL {one['postgres']:.0f} s" if one["postgres_seen"]
                else "PostgreSQL not on this machine (not counted)"))
    sentence = (f"CPU-bound: on one worker the sweep used {one['total']:.0f} s of CPU ({parts}) "
                "and waits on nothing but that work, so three workers need at least "
                f"{least:.0f} s, set by {binding} (the other limits: "
                + "; ".join(f"{name} {s:.0f} s" for name, s in limits.items() if name != binding)
                + f"): at best {speedup:.2f}x. The jobs' CPU on one worker: "
                + ", ".join(f"{job} {s:.0f} s" for job, s in chains.items())
                + f". The sweeps took {one['wall']:.0f} s and {three['wall']:.0f} s of wall time "
                  f"while other processes kept {one['other_cores']:.1f} and "
                  f"{three['other_cores']:.1f} of the {cores} cores busy: a loaded machine "
                  "stretches the one-worker sweep more (one runnable chain gets a smaller share "
                  "of it), so the measured speedup can pass this bound.")
    return {"sweep_workers_cpu_seconds_1_worker": round(one["total"], 1),
            "sweep_workers_cpu_seconds_3_workers": round(three["total"], 1),
            "sweep_workers_cpu_seconds_workers": round(one["workers"], 1),
            "sweep_workers_cpu_seconds_plex_double": round(one["plex_double"], 1),
            "sweep_workers_cpu_seconds_postgres": round(one["postgres"], 1),
            "sweep_workers_cpu_seconds_longest_job": round(chains[longest], 1),
            "sweep_workers_speedup_bound": round(speedup, 2),
            "sweep_workers_other_load_cores": round(
                (one["other_cores"] * one["wall"] + three["other_cores"] * three["wall"])
                / (one["wall"] + three["wall"]), 2),
            "sweep_workers_bound": sentence}


@benchmark("sweep_workers")
def run(small: bool) -> dict:
    from django.db import connection

    from tests.bench.bench_sweep import sweep
    from tests.fakes.scale import build_scale

    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        return {"sweep_workers_note": "skipped: needs DATABASE_URL (PostgreSQL) and REDIS_URL "
                                      f"(this run: {connection.vendor}, REDIS_URL "
                                      f"{'set' if os.environ.get('REDIS_URL') else 'unset'})"}
    scale = build_scale(small=small)
    log_dir = Path(tempfile.mkdtemp(prefix="immaculaterr-bench-workers-"))
    try:
        sweep(scale)  # build every row once, so both timed sweeps do the same (no-change) work
        one, cpu_one = _timed_sweep(1, scale, log_dir)
        three, cpu_three = _timed_sweep(3, scale, log_dir)
    finally:
        scale.stop()
    figures = {"sweep_seconds_1_worker": round(one, 1), "sweep_seconds_3_workers": round(three, 1),
               "sweep_workers_speedup": round(one / three, 2),
               "sweep_workers_note": f"PostgreSQL + Redis, {scale.pairs} viewer x library pairs, "
                                     "3 standalone row jobs; solo-pool workers on a "
                                     f"{os.cpu_count()}-core machine, Plex double in the bench "
                                     "process"}
    if cpu_one and cpu_three:
        figures.update(bound(cpu_one, cpu_three, os.cpu_count() or 1))
    else:
        figures["sweep_workers_bound"] = "not measured: CPU time is read from Linux's /proc"
    return figures
