"""A run's report stays bounded: every list that enters it keeps its first entries and counts
the rest, so a sweep's report grows by a bounded amount per scope whatever the rows hold, and
the run page and run_job's text still give the exact counts."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from jobs import report as report_module
from jobs.definitions import rows
from jobs.dispatch import dispatch
from jobs.models import JobRun, Status
from jobs.report import ENTRIES_KEPT, ITEMS_KEPT, NAMES_KEPT, Report
from jobs.textreport import render_text

# What one viewer x library may add to a sweep's report at worst: four rows of 1,250 titles,
# each rebuilt, half removed and every title moved (~58,000 characters; unbounded, ~1,115,000).
PER_SCOPE_CHARS = 64_000


def names(n: int, prefix: str = "Title") -> list[str]:
    return [f"{prefix} {i}" for i in range(n)]


def rows_data(items: int) -> dict:
    """A viewer's rows report (sync.RowsReport.as_dict()) with `items` titles per row."""
    def row(title):
        added = [{"rating_key": 10_000 + i, "title": f"{title} pick {i}"} for i in range(items)]
        return {"title": title, "kind": "immaculate_taste", "path": "recreate",
                "collection": 5, "items": items, "added": added, "removed": added[:items // 2],
                "moved": [{"item": a, "after": None} for a in added], "sort": "custom",
                "rename": None, "pins": None, "poster": "unchanged", "duplicates_removed": [],
                "estimated_requests": 3, "alternative": None, "action": "recreate",
                "moves": items, "error": "", "requests": 3}
    return {"viewer": "Bea", "library": "Movies", "dry_run": True, "skipped": "",
            "message": "", "rows": [row(f"Row {k} (Bea)") for k in range(4)],
            "hub_order": [], "share_filters": [], "requests": 12, "writes": 0, "errors": [],
            "ok": True}


def sweep_report(monkeypatch, scopes: int, items: int) -> Report:
    """What a Fresh Out sweep leaves in its report, through the real rows.sync_rows (its
    add_plan and attach) and the list, step and scope result of each scope."""
    monkeypatch.setattr(rows, "plex", lambda ctx: None)
    monkeypatch.setattr(rows.sync, "sync_viewer_rows", lambda *a, **k: SimpleNamespace(
        as_dict=lambda: rows_data(items)))
    ctx = SimpleNamespace(report=Report(), dry_run=True)
    for n in range(scopes):
        viewer = SimpleNamespace(account_id=n, name=f"Viewer {n}")
        library = SimpleNamespace(key=str(n), title="Movies", kind="movie")
        with ctx.report.step(f"fresh releases · Viewer {n} · Movies") as counts:
            counts["titles"] = items
        ctx.report.add_list(f"Fresh Out Of The Oven (Viewer {n})", [
            {"title": t, "year": 2026, "status": "in Plex", "why": "Released lately"}
            for t in names(items)])
        counts = rows.sync_rows(ctx, viewer, library)
        ctx.report.scope_result(f"Viewer {n} · Movies", "ok", **counts)
    return ctx.report


def size(report: Report) -> int:
    return len(json.dumps(report.as_dict()))


def test_sweep_report_grows_a_bounded_amount_per_scope(monkeypatch):
    ten, hundred = (size(sweep_report(monkeypatch, n, 1_250)) for n in (10, 100))

    assert (hundred - ten) / 90 <= PER_SCOPE_CHARS
    assert ten <= 10 * PER_SCOPE_CHARS


def test_sweep_report_size_does_not_grow_with_the_rows_items(monkeypatch):
    small, large = (size(sweep_report(monkeypatch, 5, n)) for n in (1_250, 5_000))

    assert large - small <= 5 * 2_000  # only the wider numbers in counts and names


def test_plan_line_names_fifty_titles_and_counts_the_rest():
    report = Report()

    report.add_plan([{"row": "Inspired (Bea)", "action": "update", "add": names(1_250),
                      "remove": names(3, "Old"), "moves": 0, "other": []}], "Bea · Movies")

    (line,) = report.data["plan"]
    assert (line["add"], line["add_left_out"]) == (names(NAMES_KEPT), 1_250 - NAMES_KEPT)
    assert (line["remove"], "remove_left_out" in line) == (names(3, "Old"), False)
    assert line["scope"] == "Bea · Movies"


def test_list_keeps_its_first_items_and_its_total():
    report = Report()
    items = [{"title": t} for t in names(1_200)]

    report.add_list("Fresh Out Of The Oven (Bea)", items, "Bea · Movies")

    (lst,) = report.data["lists"]
    assert [i["title"] for i in lst["items"]] == names(ITEMS_KEPT)
    assert (lst["total"], lst["items_left_out"]) == (1_200, 1_200 - ITEMS_KEPT)
    assert len(items) == 1_200  # the caller's list is not cut


def test_list_given_only_its_first_items_keeps_the_callers_total():
    report = Report()

    report.add_list("Fresh", [{"title": t} for t in names(ITEMS_KEPT)], total=1_200)

    assert (report.data["lists"][0]["total"],
            report.data["lists"][0]["items_left_out"]) == (1_200, 1_200 - ITEMS_KEPT)


def test_attached_results_keep_their_first_entries_and_say_how_many_more():
    report = Report()

    report.attach("rows Bea · Movies", {"rows": [{"added": list(range(1_250))}],
                                        "nested": [list(range(NAMES_KEPT + 5))]})
    report.attach("cleanup_diff", [{"line": i} for i in range(NAMES_KEPT + 7)])

    raw = report.data["raw"]
    row = raw["rows Bea · Movies"]["rows"][0]
    assert (row["added"], row["added_left_out"]) == (list(range(NAMES_KEPT)),
                                                     1_250 - NAMES_KEPT)
    assert raw["rows Bea · Movies"]["nested"][0][-1] == "… and 5 more"
    assert (len(raw["cleanup_diff"]), raw["cleanup_diff_left_out"]) == (NAMES_KEPT, 7)


def test_sections_stop_at_their_cap_and_count_what_they_left_out():
    report = Report()

    for n in range(ENTRIES_KEPT + 30):
        report.scope_result(f"Viewer {n}", "ok")
        report.note(f"note {n}")
        with report.step(f"step {n}"):
            pass
    report.scope_result("Viewer last", "failed", "Plex said no.")

    assert (len(report.data["scopes"]), len(report.data["notes"]),
            len(report.data["steps"])) == (ENTRIES_KEPT,) * 3
    assert report.data["left_out"] == {"scopes": 31, "notes": 30, "steps": 30}
    assert report.data["scope_counts"] == {"ok": ENTRIES_KEPT + 30, "failed": 1}
    assert report.scope_statuses() == {"ok", "failed"}  # a run judged on every scope
    assert report.scopes_sentence("Rows refreshed") == \
        f"Rows refreshed for {ENTRIES_KEPT + 30} viewer and library pairs; 1 failed."


def test_long_strings_are_cut():
    report = Report()

    report.note("x" * 50_000)

    assert len(report.data["notes"][0]) == report_module.TEXT_KEPT


def test_report_saved_before_the_tallies_counts_its_scopes_and_sends():
    old = {"scopes": [{"scope": "Bea", "status": "failed", "reason": "no", "counts": {}}],
           "sends": [{"service": "radarr", "state": "sent", "title": "Heat"}]}

    report = Report(old)

    assert report.scope_statuses() == {"failed"}
    assert report.data["send_counts"] == {"radarr": {"sent": 1}}


def big_report() -> dict:
    report = Report()
    report.summary("Fresh rows for many pairs.")
    report.add_list("Fresh Out Of The Oven (Bea)", [{"title": t} for t in names(1_250)],
                    "Bea · Movies")
    report.add_plan([{"row": "Fresh (Bea)", "action": "recreate", "add": names(1_250),
                      "remove": [], "moves": 0, "other": ["custom sort"]}], "Bea · Movies")
    for n in range(ENTRIES_KEPT + 2):
        report.scope_result(f"Viewer {n} · Movies", "ok", rows=1)
    for n in range(ENTRIES_KEPT + 3):
        report.send({"service": "radarr", "state": "sent", "title": f"Missing {n}"})
    return report.as_dict()


@pytest.mark.django_db
def test_run_job_text_gives_exact_counts_of_a_bounded_report():
    run = dispatch("fresh_out_of_the_oven", enqueue_now=False)
    JobRun.objects.filter(pk=run.pk).update(status=Status.SUCCEEDED, report=big_report())

    text = render_text(JobRun.objects.get(pk=run.pk))

    assert f"{ITEMS_KEPT}. Title {ITEMS_KEPT - 1}" in text
    assert f"… and {1_250 - ITEMS_KEPT:,} more titles" in text
    assert "Fresh (Bea): recreate +1,250 (Title 0, " in text
    assert "Title 9 and 1,240 more) (custom sort) [Bea · Movies]" in text
    assert f"… and 2 more (ok {ENTRIES_KEPT + 2} in all)" in text
    assert f"Radarr: sent {ENTRIES_KEPT + 3}, failed 0" in text
    assert "  … and 3 more titles" in text


@pytest.mark.django_db
def test_run_page_says_how_many_more_a_bounded_report_left_out(admin_client):
    run = dispatch("fresh_out_of_the_oven", enqueue_now=False)
    JobRun.objects.filter(pk=run.pk).update(status=Status.SUCCEEDED, report=big_report())

    html = admin_client.get(f"/rewind/{run.pk}").content.decode()

    assert f"1,250 titles, the first {ITEMS_KEPT} listed" in html
    assert f"And {1_250 - ITEMS_KEPT:,} more, not kept in this report." in html
    assert f"Title {NAMES_KEPT - 1} and {1_250 - NAMES_KEPT:,} more" in html
    assert f"And 2 more, not listed. In all: ok {ENTRIES_KEPT + 2:,}." in html
    assert f"sent {ENTRIES_KEPT + 3}</span>" in html
    assert "And 3 more, counted above, not listed." in html


def test_a_sweeps_summary_counts_one_pair_in_the_singular_and_names_skips():
    report = Report()
    report.scope_result("Bea · Movies", "ok")
    report.scope_result("Cal · Movies", "skipped", "busy with another run")

    assert report.scopes_sentence("Rows refreshed") == \
        "Rows refreshed for 1 viewer and library pair; 1 skipped."
