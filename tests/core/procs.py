"""Helpers for tests that run the real program in child processes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def clean_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The user's environment minus anything Immaculaterr reads, plus `extra`."""
    drop = {"DATABASE_URL", "REDIS_URL", "APP_MASTER_KEY", "APP_DATA_DIR", "SECRET_KEY",
            "DJANGO_SETTINGS_MODULE", "PORT"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(APP_DATA_DIR=str(data_dir), **extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(*args: str, env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def wait_for(predicate, timeout: float, every: float = 0.5):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(every)
    return last


def children_of(pid: int) -> dict[int, str]:
    """Direct children of pid, with their command lines."""
    found = {}
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    for child in out.split():
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
        except FileNotFoundError:
            continue
        found[int(child)] = cmdline.decode()
    return found


def child_with(pid: int, needle: str) -> int | None:
    """The child of pid whose command line holds needle."""
    return next((c for c, cmd in children_of(pid).items() if needle in cmd), None)
