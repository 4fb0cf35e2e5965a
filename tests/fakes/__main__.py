"""Run every service double until Ctrl-C, e.g. to click through the app against them:

    python -m tests.fakes --movies 2000 --shows 300 [--port-base 7100]
"""

from __future__ import annotations

import argparse
import signal
import threading

from tests.fakes.suite import start_all


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.fakes",
                                     description="Start every service double on loopback.")
    parser.add_argument("--movies", type=int, default=2000, help="catalog movies")
    parser.add_argument("--shows", type=int, default=300, help="catalog shows")
    parser.add_argument("--seed", type=int, default=1234, help="catalog seed")
    parser.add_argument("--legacy-libraries", action="store_true",
                        help="Plex also has 4 Old Movies (IMDb agent), 5 Old TV (TheTVDB agent) "
                             "and 6 Music")
    parser.add_argument("--sonarr-v3", action="store_true",
                        help="Sonarr plays v3 (language profiles) instead of v4")
    parser.add_argument("--port-base", type=int, default=0,
                        help="first of consecutive fixed ports (default: any free port)")
    return parser.parse_args(argv)


def table(credentials: dict[str, dict]) -> str:
    rows = [(service, name, str(value)) for service, creds in credentials.items()
            for name, value in creds.items()]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    return "\n".join(f"{s:<{widths[0]}}  {n:<{widths[1]}}  {v}" for s, n, v in rows)


def main(argv=None) -> int:
    args = parse_args(argv)
    doubles = start_all(n_movies=args.movies, n_shows=args.shows, seed=args.seed,
                        port_base=args.port_base, legacy_libraries=args.legacy_libraries,
                        sonarr_v3=args.sonarr_v3)
    print(table(doubles.credentials()))
    if doubles.plex is None:
        print("(tests.fakes.plex is not importable: no Plex doubles)")
    print("Serving; Ctrl-C to stop.", flush=True)
    done = threading.Event()
    # Both signals end the run; set explicitly because a shell's `&` starts us ignoring SIGINT.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    try:
        while not done.wait(0.5):
            pass
    finally:
        doubles.stop()
    print("Stopped.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
