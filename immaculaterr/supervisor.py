"""Keep serve's children running: a worker, triggers worker or beat that stops unexpectedly is
started again after a growing pause; the web server exiting stops everything (nothing is left
to serve)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass

LABELS = {"web": "web server", "worker": "worker", "triggers": "triggers worker",
          "beat": "scheduler (beat)"}
FIRST_DELAY_S, MAX_DELAY_S = 1.0, 60.0
STEADY_S = 300.0  # a child that ran this long before it stopped starts over at FIRST_DELAY_S

Spawn = Callable[[list[str]], subprocess.Popen]
OnRestart = Callable[[str, int, str], None]


def exit_text(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def kill_group(pid: int) -> None:
    """Whatever the dead child left behind (granian's worker, celery's pool) goes with it."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@dataclass
class Child:
    name: str
    argv: list[str]
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    delay: float = FIRST_DELAY_S
    due: float | None = None  # when a stopped child is started again

    @property
    def label(self) -> str:
        return LABELS.get(self.name, self.name)


class Supervisor:
    def __init__(self, children: list[Child], spawn: Spawn, on_restart: OnRestart,
                 clock: Callable[[], float] = time.monotonic):
        self.children, self.spawn, self.on_restart, self.clock = children, spawn, on_restart, clock

    def start_all(self) -> None:
        for child in self.children:
            self.start(child)

    def start(self, child: Child) -> None:
        child.proc, child.started_at, child.due = self.spawn(child.argv), self.clock(), None

    def step(self) -> str:
        """One look at every child; the sentence that stops serve, or ""."""
        now = self.clock()
        for child in self.children:
            if child.due is not None:
                if now >= child.due:
                    self.start(child)
                continue
            code = child.proc.poll()
            if code is None:
                continue
            kill_group(child.proc.pid)
            if child.name == "web":
                return f"The web process exited ({exit_text(code)}); stopping."
            self.schedule(child, code, now)
        return ""

    def schedule(self, child: Child, code: int, now: float) -> None:
        if now - child.started_at >= STEADY_S:
            child.delay = FIRST_DELAY_S
        self.on_restart(child.name, code,
                        f"The {child.label} stopped unexpectedly ({exit_text(code)}); "
                        f"restarting it in {child.delay:g} s.")
        child.due = now + child.delay
        child.delay = min(child.delay * 2, MAX_DELAY_S)

    def stop(self, deadline_s: float = 20) -> None:
        procs = [c.proc for c in self.children if c.proc is not None]
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)  # celery stops its own pool, granian its worker
        deadline = time.monotonic() + deadline_s
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            kill_group(proc.pid)
            proc.wait()
