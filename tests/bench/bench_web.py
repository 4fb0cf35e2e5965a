"""The web server under idle connections and a hostile chunked body (issue 11, must-show 1).

    python -m tests.bench --only web

Starts the real `manage.py serve --only web` on a free port with a fresh APP_DATA_DIR (the
embedded defaults), then:

Figures:
  web_healthz_ms_with_1000_idle  1000 half-open requests (`GET / HTTP/1.1` + a Host line, never
                                 finished) are held open, then one GET /healthz is timed from
                                 connect to the end of its answer (target < 1000; a server that
                                 never answers shows the wait it was given, 10000)
  web_chunked_16mb_cpu_s         CPU seconds the web process tree spends on a 16 MB chunked
                                 body whose size line never ends in CRLF (target < 1)

1000 sockets here plus the server's own must fit the open-files limit: the bench raises its soft
limit (inherited by the server) up to the hard limit when it is lower than that.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench import benchmark
from tests.core.procs import ROOT, clean_env, free_port, wait_for

IDLE = 1000
CHUNKED_MB = 16
WAIT_S = 10.0


def raise_open_files(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def tree(pid: int) -> list[int]:
    """pid and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        kids = subprocess.run(["pgrep", "-P", str(current)], capture_output=True, text=True)
        todo.extend(int(k) for k in kids.stdout.split())
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def get_healthz_ms(port: int, timeout: float = WAIT_S) -> float:
    """Connect, GET /healthz, read the answer to its end; ms, or the wait when none came."""
    started = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        if not answer.startswith(b"HTTP/1.1 "):
            return timeout * 1000
    except OSError:
        return timeout * 1000
    return (time.perf_counter() - started) * 1000


def healthz_with_idle(port: int, idle: int) -> float:
    held = []
    try:
        for _ in range(idle):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            held.append(sock)
        time.sleep(1)
        return get_healthz_ms(port)
    finally:
        for sock in held:
            sock.close()


def chunked_cpu(port: int, pids: list[int], megabytes: int) -> float:
    before = cpu_seconds(pids)
    blob = b"f" * (1 << 20)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
            sock.sendall(b"POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in range(megabytes):
                sock.sendall(blob)
            sock.shutdown(socket.SHUT_WR)
            while sock.recv(65536):
                pass
    except OSError:
        pass  # a server that rejects the body may reset the connection mid-send: that's fine
    time.sleep(1)  # let the server finish whatever the body started
    return cpu_seconds(pids) - before


def start_web(data_dir: str, port: int) -> subprocess.Popen:
    env = clean_env(Path(data_dir))
    return subprocess.Popen([sys.executable, "manage.py", "serve", "--only", "web", "--port",
                             str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@benchmark("web")
def run(small: bool) -> dict[str, float]:
    # Both sizes stay as named even with --small: the figures are cheap on a sound server.
    raise_open_files(IDLE + 512)
    data_dir, port = tempfile.mkdtemp(prefix="immaculaterr-bench-web-"), free_port()
    proc = start_web(data_dir, port)
    try:
        if not wait_for(lambda: get_healthz_ms(port, 2) < 2000, timeout=60):
            raise RuntimeError("The web server did not answer /healthz within 60 s.")
        web = [pid for pid in tree(proc.pid) if pid != proc.pid]
        healthz_ms = healthz_with_idle(port, IDLE)
        cpu = chunked_cpu(port, web, CHUNKED_MB)
    finally:
        stop(proc)
        shutil.rmtree(data_dir, ignore_errors=True)
    return {"web_healthz_ms_with_1000_idle": round(healthz_ms, 1),
            "web_chunked_16mb_cpu_s": round(cpu, 2)}
