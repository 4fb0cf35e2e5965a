"""Settings for worker and beat processes started by the jobs tests: the test settings with
short heartbeats, and the demo jobs registered. An idle worker exits at once on SIGTERM
(tests/jobs/quickexit.py)."""

import tests.jobs.quickexit  # noqa: F401 - connects its worker_shutting_down handler
from tests.settings import *  # noqa: F403

JOBS_HEARTBEAT_SECONDS = 0.5
JOBS_STALE_SECONDS = 2
JOBS_SWEEP_SECONDS = 3
JOBS_POLL_SECONDS = 1
JOBS_RETRY_BACKOFF = 1
JOBS_EXTRA_MODULES = ("tests.jobs.demojobs",)
