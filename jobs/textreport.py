"""A run's report as readable text (run_job prints it)."""

from __future__ import annotations

from jobs.models import JobRun


def _counts(counts: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in (counts or {}).items())


def render_text(run: JobRun) -> str:
    report = run.report or {}
    out = [f"Run #{run.pk} {run.job}: {run.status.upper()}"
           f"{' (dry run: nothing was written)' if run.dry_run else ''}",
           f"  scope: {run.scope_label}" + (f" · seed: {run.seed_title}" if run.seed_title
                                            else "")]
    if run.reason:
        out.append(f"  reason: {run.reason_code}: {run.reason}")
    if report.get("summary"):
        out.append(f"  {report['summary']}")
    out += _section("Steps", [f"{s['name']}: {s['status']} in {s['duration_ms']} ms"
                              + (f" ({_counts(s.get('counts'))})" if s.get("counts") else "")
                              for s in report.get("steps", [])])
    out += _section("Services", [f"{c['name']}: {c['status'].replace('_', ' ')}"
                                 + (f" ({c['detail']})" if c.get("detail") else "")
                                 for c in report.get("services", [])])
    for lst in report.get("lists", []):
        out += _section(f"{lst['title']}{' · ' + lst['scope'] if lst.get('scope') else ''}",
                        [f"{i}. {_item(item)}" for i, item in
                         enumerate(lst.get("items", []), start=1)])
    out += _section("Plex plan" + (" (not applied)" if run.dry_run else ""),
                    [_plan(p) for p in report.get("plan", [])])
    out += _section("Skipped", [f"{s['code']}: {s['reason']}" + (f" [{s['scope']}]" if
                                                                   s.get("scope") else "")
                                for s in report.get("skips", [])])
    out += _section("Viewers and libraries", [
        f"{s['scope']}: {s['status']}" + (f" ({s['reason']})" if s.get("reason") else "")
        + (f" [{_counts(s.get('counts'))}]" if s.get("counts") else "")
        for s in report.get("scopes", [])])
    out += _section("Notes", report.get("notes", []))
    out += _section("Chained runs", [
        f"#{c.pk} {c.job}: {c.status}" + (f" ({c.reason_code})" if c.reason_code else "")
        + f" · {c.scope_label}" for c in run.children.order_by("pk")])
    if run.duration_s is not None:
        out.append(f"  took {run.duration_s} s")
    return "\n".join(out)


def _section(title: str, lines: list[str]) -> list[str]:
    return [f"\n{title}:"] + [f"  {line}" for line in lines] if lines else []


def _item(item: dict) -> str:
    year = f" ({item['year']})" if item.get("year") else ""
    status = f" [{item['status']}]" if item.get("status") else ""
    why = f" — {item['why']}" if item.get("why") else ""
    return f"{item.get('title', '?')}{year}{status}{why}"


def _plan(p: dict) -> str:
    parts = [f"{p.get('row', '?')}: {p.get('action', '?')}"]
    if p.get("add"):
        parts.append(f"+{len(p['add'])} ({', '.join(map(str, p['add'][:10]))})")
    if p.get("remove"):
        parts.append(f"-{len(p['remove'])} ({', '.join(map(str, p['remove'][:10]))})")
    if p.get("moves"):
        parts.append(f"{p['moves']} moves")
    if p.get("other"):
        parts.append(f"({'; '.join(p['other'])})")
    if p.get("scope"):
        parts.append(f"[{p['scope']}]")
    return " ".join(parts)
