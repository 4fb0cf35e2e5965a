"""A real `celery worker` process runs a task dispatched from another process."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from tests.core.procs import ROOT, clean_env, manage, wait_for

pytestmark = pytest.mark.services

DISPATCH = "from immaculaterr.tasks import heartbeat; heartbeat.delay()"


def beat_row(db):
    def probe():
        try:
            with sqlite3.connect(db) as conn:
                return conn.execute(
                    "SELECT detail FROM immaculaterr_heartbeat WHERE name='beat'").fetchone()
        except sqlite3.Error:
            return None

    return probe


def run_worker_roundtrip(env: dict, data_dir) -> tuple[object, str]:
    assert manage("migrate", env=env).returncode == 0
    # Unbuffered, so everything it printed is in `out` although it is killed: once the task
    # ran, its warm shutdown (5-6 s of broker polls and teardown) proves nothing here.
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "immaculaterr", "worker", "--pool=solo",
         "--without-mingle", "--without-gossip", "--loglevel=INFO"],
        cwd=ROOT, env={**env, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    try:
        assert manage("shell", "-c", DISPATCH, env=env).returncode == 0
        row = wait_for(beat_row(data_dir / "immaculaterr.sqlite3"), timeout=45)
    finally:
        worker.kill()
        out, _ = worker.communicate(timeout=30)
    return row, out


def test_worker_embedded_broker_runs_dispatched_task(tmp_path):
    row, out = run_worker_roundtrip(clean_env(tmp_path), tmp_path)
    assert row == ("scheduled heartbeat delivered",), out[-2000:]
    assert "filesystem" in out


def test_worker_redis_broker_runs_dispatched_task(tmp_path, redis_url):
    row, out = run_worker_roundtrip(clean_env(tmp_path, REDIS_URL=redis_url), tmp_path)
    assert row == ("scheduled heartbeat delivered",), out[-2000:]
    import redis

    assert redis.Redis.from_url(redis_url).exists("_kombu.binding.celery") == 1
