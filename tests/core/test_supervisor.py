"""serve's supervision: a stopped worker or beat is started again with backoff; the web server
stopping ends serve. Real short-lived child processes, a hand-driven clock."""

from __future__ import annotations

import signal
import subprocess

import pytest

from immaculaterr.supervisor import MAX_DELAY_S, STEADY_S, Child, Supervisor
from tests.core.procs import wait_for


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def spawn(argv: list[str]) -> subprocess.Popen:
    return subprocess.Popen(argv, start_new_session=True)


def crash(child: Child) -> None:
    child.proc.send_signal(signal.SIGKILL)
    child.proc.wait()


@pytest.fixture
def supervised():
    clock, said = Clock(), []
    children = [Child("web", ["sleep", "60"]), Child("worker", ["sleep", "60"])]
    supervisor = Supervisor(children, spawn, lambda *a: said.append(a), clock=clock)
    supervisor.start_all()
    yield supervisor, clock, said
    supervisor.stop(deadline_s=2)


def test_supervisor_crashed_worker_is_started_again_after_the_pause(supervised):
    supervisor, clock, said = supervised
    worker = supervisor.children[1]
    first = worker.proc

    crash(worker)
    assert supervisor.step() == ""
    clock.now += 0.9
    supervisor.step()
    still_waiting = worker.proc is first
    clock.now += 0.2
    supervisor.step()

    assert said == [("worker", -9, "The worker stopped unexpectedly (killed by SIGKILL); "
                                   "restarting it in 1 s.")]
    assert still_waiting
    assert worker.proc is not first and worker.proc.poll() is None


def test_supervisor_pauses_double_up_to_the_cap_and_reset_after_a_steady_run(supervised):
    supervisor, clock, said = supervised
    worker = supervisor.children[1]
    delays = []
    for _ in range(8):
        crash(worker)
        supervisor.step()
        delays.append(worker.due - clock.now)
        clock.now = worker.due
        supervisor.step()
    clock.now += STEADY_S
    crash(worker)
    supervisor.step()

    assert delays == [1, 2, 4, 8, 16, 32, MAX_DELAY_S, MAX_DELAY_S]
    assert said[6][2].endswith("restarting it in 60 s.")
    assert worker.due - clock.now == 1


def test_supervisor_web_exit_stops_serve_with_a_sentence(supervised):
    supervisor, clock, said = supervised
    web = supervisor.children[0]
    web.proc.terminate()
    web.proc.wait()

    problem = supervisor.step()

    assert problem == "The web process exited (killed by SIGTERM); stopping."
    assert said == []


def alive(pid: int) -> bool:
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_supervisor_dead_child_takes_what_it_left_behind():
    """granian's worker outlives a SIGKILLed granian main; it must not keep the port."""
    web = Child("web", ["sh", "-c", "sleep 60 & wait"])
    supervisor = Supervisor([web], spawn, lambda *a: None, clock=Clock())
    supervisor.start_all()

    def grandchild():
        out = subprocess.run(["pgrep", "-P", str(web.proc.pid)], capture_output=True, text=True)
        return int(out.stdout.split()[0]) if out.stdout.split() else None

    left = wait_for(grandchild, timeout=5, every=0.05)
    crash(web)
    survived_its_parent = alive(left)
    problem = supervisor.step()

    assert survived_its_parent
    assert problem.startswith("The web process exited")
    assert wait_for(lambda: not alive(left), timeout=5, every=0.05)
