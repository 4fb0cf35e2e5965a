"""A load generator for the scale bench: N threads loading pages from a running web server, in
a process of its own (so the GIL it measures is the server's, not the bench's).

    python -m tests.bench.page_loads URL THREADS PAGE [PAGE ...]   # session ids on stdin

Reads one JSON line on stdin: {"cookie": name, "sessions": [one session id per thread]} (on
stdin, not argv, so no session id shows in `ps`), prints "ready", then each thread loads the
pages in turn over its own keep-alive connection, signed in with its session, until stdin sends
a second line (or closes). Prints one JSON line: {"took_ms": [...], "statuses": {code: n},
"errors": [first few connection errors]}. Standard library only: no Django in this process.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit


def _load(url, cookie: str, pages: list[str], stop: threading.Event, took: list,
          statuses: dict, errors: list, lock: threading.Lock) -> None:
    where = urlsplit(url)
    conn = http.client.HTTPConnection(where.hostname, where.port, timeout=120)
    headers = {"Cookie": cookie, "Accept": "text/html"}
    while not stop.is_set():
        for page in pages:
            started = time.perf_counter()
            try:
                conn.request("GET", page, headers=headers)
                answer = conn.getresponse()
                answer.read()
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(f"{page}: {exc!r}")
                conn.close()
                conn = http.client.HTTPConnection(where.hostname, where.port, timeout=120)
                continue
            ms = (time.perf_counter() - started) * 1000
            with lock:
                statuses[answer.status] = statuses.get(answer.status, 0) + 1
                if answer.status == 200:
                    took.append(ms)
            if stop.is_set():
                break
    conn.close()


def main(argv: list[str]) -> int:
    url, threads, pages = argv[0], int(argv[1]), argv[2:]
    given = json.loads(sys.stdin.readline())
    sessions = given["sessions"]
    stop, lock = threading.Event(), threading.Lock()
    took: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    workers = [threading.Thread(target=_load, daemon=True, args=(
        url, f"{given['cookie']}={sessions[i % len(sessions)]}", pages, stop, took, statuses,
        errors, lock)) for i in range(threads)]
    for t in workers:
        t.start()
    print("ready", flush=True)
    sys.stdin.readline()
    stop.set()
    for t in workers:
        t.join(timeout=150)
    print(json.dumps({"took_ms": took, "statuses": statuses, "errors": errors[:5],
                      "error_count": len(errors)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
