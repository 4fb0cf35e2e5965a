"""Benchmarks: request counts, memory and time figures, run in one process.

    python -m tests.bench            # readable
    python -m tests.bench --json     # one JSON object of figures
    python -m tests.bench --small    # tiny sizes (what tests use so benches cannot rot)
    python -m tests.bench --only plex_index

Adding a benchmark: create `tests/bench/bench_<name>.py` with

    from tests.bench import benchmark

    @benchmark("my_thing")
    def run(small: bool) -> dict[str, float | int]:
        ...                       # Django is set up, with a fresh migrated SQLite database
        return {"my_thing_requests": 3}

Every `bench_*.py` module in this folder is imported and each registered function runs once;
the dicts are merged into the output, so figure names should start with the bench's name.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import tempfile
from collections.abc import Callable

Bench = Callable[[bool], dict]
REGISTRY: dict[str, Bench] = {}


def benchmark(name: str) -> Callable[[Bench], Bench]:
    def register(fn: Bench) -> Bench:
        REGISTRY[name] = fn
        return fn

    return register


def discover() -> dict[str, Bench]:
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("bench_"):
            importlib.import_module(f"{__name__}.{module.name}")
    return REGISTRY


def setup_django() -> str:
    """tests.settings on a throwaway data directory, migrated. Returns the directory."""
    data_dir = tempfile.mkdtemp(prefix="immaculaterr-bench-")
    os.environ["APP_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ.setdefault("PLEXAPI_CONFIG_PATH", os.devnull)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    return data_dir


def fresh_state() -> None:
    """What one bench wrote is gone before the next starts: the database rows (the schema
    stays, and post_migrate puts the beat schedules back) and the cache."""
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)
    cache.clear()


def run_all(names: list[str] | None = None, small: bool = False) -> dict:
    figures: dict = {}
    chosen = [fn for name, fn in sorted(discover().items()) if not names or name in names]
    for fn in chosen:
        # also before the first: with DATABASE_URL the benches share a real database, which
        # keeps what an earlier bench process wrote
        fresh_state()
        figures.update(fn(small))
    return figures
