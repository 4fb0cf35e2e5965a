"""Worker processes the tests start (tests/jobs/procs.py, on tests.jobs.worker_settings) exit at
once when SIGTERM finds them idle.

Celery's warm shutdown of an idle solo-pool worker took 5-6 s here: its loop finishes the broker
poll under way and then one more (2 s each), its timer stops (1 s), and the interpreter tears
down. Every test that starts a worker paid that when it stopped it. A worker that is running or
holding a task still shuts down warm, as in production: the task finishes first.
"""

from __future__ import annotations

import os
import sys

from celery.signals import worker_shutting_down


@worker_shutting_down.connect
def exit_when_idle(sig=None, how=None, exitcode=0, **kwargs) -> None:
    from celery.worker import state

    if how != "Warm" or state.active_requests or state.reserved_requests:
        return
    for stream in (sys.__stdout__, sys.__stderr__, sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    os._exit(exitcode or 0)
