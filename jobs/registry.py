"""The job registry: every job the app can run, keyed by a stable string.

    @job("immaculate_taste", "Immaculate Taste Collection", needs_seed=True, plex_triggered=True)
    def immaculate_taste(ctx): ...

A job function receives a JobContext and returns None (succeeded) or raises
jobs.errors.JobSkipped / JobFailed; partial results are reported through ctx. The modules that
define jobs import this one, never the other way: jobs/apps.py imports them in ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

REGISTRY: dict[str, JobSpec] = {}


@dataclass(frozen=True)
class JobSpec:
    key: str
    name: str
    func: Callable
    description: str = ""
    needs_seed: bool = False         # Run now asks for a seed (title/year or rating key)
    plex_triggered: bool = False     # started by the poller / webhook when Auto-Run is on
    default_schedule: str = ""       # cron line "m h dom mon dow"; "" = not scheduled
    sweeps: bool = False             # unscoped runs sweep every eligible viewer and library
    media_types: tuple[str, ...] = ("movie", "tv")
    time_limit: int = 15 * 60        # seconds (soft limit; the hard one is a minute later)
    chains: tuple[str, ...] = field(default_factory=tuple)

    @property
    def scheduled(self) -> bool:
        return bool(self.default_schedule)


class UnknownJob(KeyError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key

    def __str__(self) -> str:
        return f"Unknown job {self.key!r}. Known jobs: {', '.join(sorted(REGISTRY)) or 'none'}."


def job(key: str, name: str, **options) -> Callable[[Callable], Callable]:
    def register_func(func: Callable) -> Callable:
        register(JobSpec(key=key, name=name, func=func,
                         description=options.pop("description", (func.__doc__ or "").strip()),
                         **options))
        return func

    return register_func


def register(spec: JobSpec) -> JobSpec:
    REGISTRY[spec.key] = spec
    return spec


def unregister(key: str) -> None:
    REGISTRY.pop(key, None)


def get(key: str) -> JobSpec:
    try:
        return REGISTRY[key]
    except KeyError:
        raise UnknownJob(key) from None


def all_jobs() -> list[JobSpec]:
    """In registration order, except that the jobs a job chains come right after it: each
    family registers in its own module, and a collection still sits beside its refresher."""
    ordered: dict[str, JobSpec] = {}

    def add(spec: JobSpec) -> None:
        if spec.key not in ordered:
            ordered[spec.key] = spec
            for key in spec.chains:
                if key in REGISTRY:
                    add(REGISTRY[key])

    for spec in REGISTRY.values():
        add(spec)
    return list(ordered.values())
