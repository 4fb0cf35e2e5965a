"""`manage.py serve` runs web + worker + beat; /healthz proves a real worker heartbeat."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest
from django.test.utils import override_settings

from immaculaterr.management.commands.serve import child_command
from tests.core.procs import ROOT, child_with, clean_env, free_port, get_json, manage, wait_for

pytestmark = pytest.mark.services


def healthy(url):
    def probe():
        try:
            status, body = get_json(url)
        except OSError:
            return None
        return body if status == 200 else None

    return probe


def details(env: dict) -> dict:
    """The full health report, as the admin sees it (anonymous /healthz gives the status only)."""
    return json.loads(manage("health", env=env).stdout)


def run_serve(env: dict, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "manage.py", "serve", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=60)
    return out


def test_serve_embedded_defaults_report_worker_heartbeat(tmp_path):
    port, env = free_port(), clean_env(tmp_path)
    proc = run_serve(env, port)
    try:
        ok = wait_for(healthy(f"http://127.0.0.1:{port}/healthz"), timeout=60)
        body = details(env)
    finally:
        out = stop(proc)
    assert ok, f"/healthz never answered 200 within 60 s:\n{out[-3000:]}"
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
    port, env = free_port(), clean_env(tmp_path, REDIS_URL=redis_url)
    proc = run_serve(env, port)
    try:
        ok = wait_for(healthy(f"http://127.0.0.1:{port}/healthz"), timeout=60)
        body = details(env)
    finally:
        out = stop(proc)
    assert ok, f"/healthz never answered 200 within 60 s:\n{out[-3000:]}"
    assert body["broker"] == {"ok": True, "kind": "redis"}
    assert body["worker"]["ok"] is True


def test_serve_exits_nonzero_when_the_web_server_dies(tmp_path):
    port = free_port()
    proc = run_serve(clean_env(tmp_path), port)
    try:
        wait_for(healthy(f"http://127.0.0.1:{port}/healthz"), timeout=60)
        web = child_with(proc.pid, "granian")
        subprocess.run(["kill", "-KILL", str(web)], check=True)
        proc.wait(timeout=40)
    finally:
        if proc.poll() is None:
            stop(proc)
    out = proc.stdout.read()
    assert proc.returncode != 0
    assert "The web process exited (killed by SIGKILL); stopping." in out
    # granian's own worker process went with it and freed the port
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # past TIME_WAIT, not a listener
        s.bind(("0.0.0.0", port))


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


def shell(env: dict, code: str) -> str:
    return manage("shell", "-c", code, env=env).stdout


def test_serve_restarts_a_killed_triggers_worker_while_the_web_keeps_answering(tmp_path):
    port, env = free_port(), clean_env(tmp_path)
    url = f"http://127.0.0.1:{port}/healthz"
    proc = run_serve(env, port)
    try:
        assert wait_for(healthy(url), timeout=60)
        first = child_with(proc.pid, "--queues=triggers")
        subprocess.run(["kill", "-KILL", str(first)], check=True)
        answered = get_json(url)[0]
        again = wait_for(lambda: (child_with(proc.pid, "--queues=triggers") or first) != first
                         and child_with(proc.pid, "--queues=triggers"), timeout=20)
        seen = wait_for(lambda: f"pid {again}" in (details(env)["worker"]["seen_by"] or ""),
                        timeout=60)
        worker = details(env)["worker"]
        logged = shell(env, "from jobs.models import LogLine; "
                            "print(*LogLine.objects.values_list('message', flat=True))")
        still_running = proc.poll() is None
    finally:
        out = stop(proc)
    said = "The triggers worker stopped unexpectedly (killed by SIGKILL); restarting it in 1 s."
    assert still_running and answered in (200, 503)
    assert again and seen, out[-3000:]
    assert (worker["ok"], worker["restarts_last_hour"]) == (True, 1)
    assert worker["restarts"] == "The triggers worker restarted once in the last hour."
    assert said in out  # console and file log, through logging
    assert said in logged  # the Logs page
    assert said in (tmp_path / "logs" / "immaculaterr.log").read_text()


def half_open(port: int, count: int) -> list[socket.socket]:
    held = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        held.append(sock)
    return held


def test_serve_web_answers_beside_150_idle_connections_and_serves_static(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "manage.py", "serve", "--only", "web", "--port",
                             str(port)], cwd=ROOT, env=clean_env(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    held = []
    try:
        assert wait_for(lambda: get_status(port, "/healthz"), timeout=60)
        held = half_open(port, 150)
        status = get_status(port, "/healthz", timeout=10)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/app.css") as css:
            static = (css.status, css.headers["Content-Type"], css.headers["Cache-Control"])
    finally:
        for sock in held:
            sock.close()
        stop(proc)
    assert status == 503  # it answered: no worker runs beside --only web
    assert static == (200, 'text/css; charset="utf-8"', "max-age=60, public")


def get_status(port: int, path: str, timeout: float = 2) -> int | None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            line = sock.makefile("rb").readline()
    except OSError:
        return None
    return int(line.split()[1]) if line.startswith(b"HTTP/1.1 ") else None


@override_settings(LOG_LEVEL="WARNING")
def test_serve_children_log_at_the_configured_level():
    worker, triggers, beat = (child_command(r, 5454) for r in ("worker", "triggers", "beat"))
    web = child_command("web", 5454)

    assert [a for a in worker + triggers + beat if a.startswith("--loglevel")] == \
        ["--loglevel=WARNING"] * 3
    assert web[web.index("--log-level") + 1] == "warning"
