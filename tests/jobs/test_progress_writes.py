"""Progress is cheap: a progress call writes the progress columns, and the report so far only
every REPORT_EVERY seconds (on a progress call or on entering a step), so a dead worker loses
at most those seconds of it."""

from __future__ import annotations

import pytest
from django.db import connection

from jobs import context
from jobs.context import REPORT_EVERY, JobContext
from jobs.dispatch import dispatch
from jobs.models import JobRun

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self):
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(context, "monotonic", clock)
    return clock


@pytest.fixture
def ctx():
    run = dispatch("fresh_out_of_the_oven", enqueue_now=False)
    return JobContext.for_run(JobRun.objects.get(pk=run.pk))


class RunUpdates:
    """Every UPDATE of the runs table: (SQL, characters sent)."""

    def __init__(self):
        self.seen: list[tuple[str, int]] = []

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith('UPDATE "jobs_jobrun"'):
            self.seen.append((sql, len(sql) + sum(len(str(p)) for p in params or ())))
        return execute(sql, params, many, context)

    def with_report(self) -> list[str]:
        return [sql for sql, _ in self.seen if '"report"' in sql]


def sweep(ctx, clock, scopes: int, seconds_each: float = 1.0) -> RunUpdates:
    """A sweep's progress calls, one scope each `seconds_each` seconds; every scope adds a
    large result to the report."""
    updates = RunUpdates()
    with connection.execute_wrapper(updates):
        ctx.progress(total=scopes, current=0)
        for n in range(scopes):
            ctx.progress(step=f"Viewer {n} · Movies", current=n)
            ctx.report.scope_result(f"Viewer {n} · Movies", "ok", rows=4)
            ctx.report.add_list(f"Fresh (Viewer {n})", [{"title": f"T{i}"} for i in range(100)])
            clock.now += seconds_each
        ctx.progress(current=scopes)
    return updates


def test_progress_calls_write_the_report_only_every_few_seconds(ctx, clock):
    updates = sweep(ctx, clock, 100)

    assert len(updates.seen) == 102  # one UPDATE per progress call
    # at 0 s, then every REPORT_EVERY seconds of the 100 s sweep
    assert len(updates.with_report()) == 100 // REPORT_EVERY + 1
    progress_only = [sql for sql, _ in updates.seen if '"report"' not in sql]
    assert all('"heartbeat_at"' in sql for sql in progress_only)
    assert JobRun.objects.get(pk=ctx.run.pk).current == 100


def test_progress_writes_stay_small_as_the_report_grows(ctx, clock):
    updates = sweep(ctx, clock, 100, seconds_each=0.01)  # a fast sweep: all within 1 s

    sizes = [size for sql, size in updates.seen if '"report"' not in sql]
    assert len(updates.with_report()) == 1  # the first call, with an empty report
    assert max(sizes) < 1_000
    assert sum(size for _, size in updates.seen) < 102 * 1_000


def test_report_so_far_is_saved_on_entering_a_step_once_due(ctx, clock):
    ctx.progress(step="first", current=0, total=2)
    ctx.report.scope_result("Bea · Movies", "ok", rows=4)
    with ctx.report.step("soon after"):
        pass
    assert JobRun.objects.get(pk=ctx.run.pk).report["scopes"] == []  # not due yet

    clock.now += REPORT_EVERY
    with ctx.report.step("later"):
        pass

    saved = JobRun.objects.get(pk=ctx.run.pk).report
    assert [s["scope"] for s in saved["scopes"]] == ["Bea · Movies"]
    # saved as the next step begins: the steps before it, finished
    assert [(s["name"], s["status"]) for s in saved["steps"]] == [("soon after", "ok")]


def test_a_dead_worker_loses_at_most_the_last_few_seconds_of_report(ctx, clock):
    sweep(ctx, clock, 23)  # the worker dies here, before the runner's final save

    saved = JobRun.objects.get(pk=ctx.run.pk).report
    in_memory = ctx.report.as_dict()["scopes"]
    assert len(in_memory) - len(saved["scopes"]) <= REPORT_EVERY
    assert saved["scopes"] == in_memory[:len(saved["scopes"])]
