"""Web, worker and beat share one log file: rotation by one is seen by all, nothing is lost."""

import subprocess
import sys

from tests.core.procs import ROOT, clean_env

MAX_BYTES = 64 * 1024
BACKUPS = 5  # LOGGING's default
LINE = "x" * 150

# One child per role. "web" configures logging from LOGGING as Django does; "worker" and "beat"
# go the way Celery does: Django's logging first, then Celery drops the root handlers and
# _keep_logging_rules puts the file back. Protocol on stdin/stdout: ready, go, done, tag, tagged.
CHILD = r"""
import logging, logging.config, os, sys
from pathlib import Path

role, log_dir, max_bytes, share = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
root = logging.getLogger()
if role == "web":
    from immaculaterr import logconfig
    log_dir.mkdir(parents=True, exist_ok=True)
    spec = logconfig.build(log_dir, "INFO")
    spec["handlers"]["file"]["maxBytes"] = max_bytes
    spec["root"]["handlers"] = ["file"]
    logging.config.dictConfig(spec)
else:
    import django
    django.setup()
    from django.conf import settings
    from immaculaterr.celery import _keep_logging_rules
    settings.LOGGING["handlers"]["file"]["maxBytes"] = max_bytes
    root.handlers = [logging.StreamHandler(open(os.devnull, "w"))]
    _keep_logging_rules(logger=root)
log = logging.getLogger(role)

def say(word):
    print(word, flush=True)

say("ready")
sys.stdin.readline()
written, n = 0, 0
while written < share:
    message = f"{role} {n} {LINE}"
    log.info(message)
    written, n = written + len(message) + 1, n + 1
say("done")
sys.stdin.readline()
log.info(f"tagged {role}")
say("tagged")
sys.stdin.readline()
"""


def start(role: str, data_dir, share: int) -> subprocess.Popen:
    script = CHILD.replace("LINE", repr(LINE))
    return subprocess.Popen(
        [sys.executable, "-c", script, role, str(data_dir / "logs"), str(MAX_BYTES), str(share)],
        cwd=ROOT, env=clean_env(data_dir, DJANGO_SETTINGS_MODULE="immaculaterr.settings"),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def expect(child: subprocess.Popen, word: str) -> None:
    for line in child.stdout:
        if line.strip() == word:
            return
    raise AssertionError(f"child ended before saying {word!r}")


def tell(child: subprocess.Popen) -> None:
    child.stdin.write("\n")
    child.stdin.flush()


def test_log_rotation_by_web_worker_and_beat_keeps_one_file_and_full_backups(tmp_path):
    data_dir, roles = tmp_path / "data", ("web", "worker", "beat")
    children = [start(role, data_dir, 50 * MAX_BYTES // 3) for role in roles]
    try:
        for child in children:
            expect(child, "ready")
        for child in children:
            tell(child)
        for child in children:
            expect(child, "done")
        log_dir = data_dir / "logs"
        names = {p.name for p in log_dir.iterdir()}
        logs = ["immaculaterr.log"] + [f"immaculaterr.log.{n}" for n in range(1, BACKUPS + 1)]
        sizes = [(log_dir / name).stat().st_size for name in logs]

        tagged_in_current = {}
        for role, child in zip(roles, children, strict=True):
            tell(child)
            expect(child, "tagged")
            tagged_in_current[role] = (
                f"tagged {role}" in (log_dir / "immaculaterr.log").read_text())
    finally:
        for child in children:
            child.stdin.close()
            child.wait(timeout=30)

    assert tagged_in_current == {"web": True, "worker": True, "beat": True}
    assert all(0 < size <= MAX_BYTES + 512 for size in sizes), sizes
    assert names == {*logs, ".__immaculaterr.lock"}  # the lock lives beside the log
