"""`python -m tests.bench [--json] [--small] [--only NAME ...]` — see tests/bench/__init__.py."""

from __future__ import annotations

import argparse
import json
import shutil
import sys

from tests.bench import run_all, setup_django


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--small", action="store_true", help="tiny sizes, for smoke tests")
    parser.add_argument("--only", nargs="*", help="run only these benchmarks")
    args = parser.parse_args(argv)
    data_dir = setup_django()
    try:
        figures = run_all(args.only, small=args.small)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    if args.json:
        print(json.dumps(figures, indent=2, sort_keys=True))
    else:
        width = max((len(k) for k in figures), default=0)
        for name, value in sorted(figures.items()):
            print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
