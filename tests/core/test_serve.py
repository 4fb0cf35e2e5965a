"""`manage.py serve` runs web + worker + beat; /healthz proves a real worker heartbeat."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from tests.core.procs import ROOT, clean_env, free_port, get_json, manage, wait_for

pytestmark = pytest.mark.services


def healthy(url):
    def probe():
        try:
            status, body = get_json(url)
        except OSError:
            return None
        return body if status == 200 else None

    return probe


def run_serve(env: dict, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "manage.py", "serve", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=60)
    return out


def test_serve_embedded_defaults_report_worker_heartbeat(tmp_path):
    port = free_port()
    proc = run_serve(clean_env(tmp_path), port)
    try:
        body = wait_for(healthy(f"http://127.0.0.1:{port}/healthz"), timeout=60)
    finally:
        out = stop(proc)
    assert body, f"/healthz never answered 200 within 60 s:\n{out[-3000:]}"
    assert body["broker"]["kind"] == "filesystem"
    assert body["worker"]["ok"] is True
    assert body["worker"]["last_heartbeat_age_s"] < 60
    assert "pid" in body["worker"]["seen_by"]
    assert body["beat"]["ok"] is True
    assert proc.returncode == 0
    assert "Immaculaterr stopped." in out
    # issue 9 item 12: a second consumer, for the triggers queue only
    assert "triggers@" in out and ".> triggers" in out


def test_serve_with_redis_names_redis_broker(tmp_path, redis_url):
    port = free_port()
    proc = run_serve(clean_env(tmp_path, REDIS_URL=redis_url), port)
    try:
        body = wait_for(healthy(f"http://127.0.0.1:{port}/healthz"), timeout=60)
    finally:
        out = stop(proc)
    assert body, f"/healthz never answered 200 within 60 s:\n{out[-3000:]}"
    assert body["broker"] == {"ok": True, "kind": "redis"}
    assert body["worker"]["ok"] is True


def test_serve_exits_nonzero_when_a_child_dies(tmp_path):
    port = free_port()
    proc = run_serve(clean_env(tmp_path), port)
    try:
        wait_for(healthy(f"http://127.0.0.1:{port}/healthz"), timeout=60)
        subprocess.run(["pkill", "-KILL", "-f", f"waitress --listen=0.0.0.0:{port}"], check=True)
        proc.wait(timeout=40)
    finally:
        if proc.poll() is None:
            stop(proc)
    out = proc.stdout.read()
    assert proc.returncode != 0
    assert "The web process exited" in out


def test_serve_bad_database_url_names_the_variable(tmp_path):
    result = manage("serve", env=clean_env(tmp_path, DATABASE_URL="nonsense"))
    assert result.returncode != 0
    assert "DATABASE_URL must be a database URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_killed_outright_takes_its_children_along(tmp_path):
    port = free_port()
    proc = run_serve(clean_env(tmp_path), port)
    try:
        assert wait_for(healthy(f"http://127.0.0.1:{port}/healthz"), timeout=60)
        children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                  text=True).stdout.split()
        proc.kill()
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert len(children) == 4  # web, job worker, triggers worker, beat

    def all_gone():
        return all(subprocess.run(["kill", "-0", pid], capture_output=True).returncode != 0
                   for pid in children)

    gone = wait_for(all_gone, timeout=40)
    if not gone:
        subprocess.run(["kill", "-9", *children], capture_output=True)
    assert gone


def test_serve_worker_role_is_a_job_worker_and_a_triggers_consumer():
    """Issue 9 item 12: poll, sweeper and heartbeat are routed to their own queue, and serve's
    worker role runs a consumer for it beside the two-slot job worker."""
    from immaculaterr.celery import app
    from immaculaterr.management.commands.serve import child_commands

    commands = dict(child_commands("worker", 5454))

    assert set(commands) == {"worker", "triggers"}
    assert "--queues=celery" in commands["worker"]
    assert "--queues=triggers" in commands["triggers"]
    router = app.amqp.router
    for task in ("immaculaterr.jobs.poll_sessions", "immaculaterr.jobs.sweep",
                 "immaculaterr.heartbeat"):
        assert router.route({}, task)["queue"].name == "triggers", task
    assert router.route({}, "immaculaterr.jobs.run")["queue"].name == "celery"
