"""Settings of the worker and beat processes bench_poll_load starts: the jobs tests' worker
settings (demo jobs registered) with the product's 5 s poll period."""

from tests.jobs.worker_settings import *  # noqa: F403

JOBS_POLL_SECONDS = 5
