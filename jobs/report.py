"""The report a run builds as it goes: steps with counts and durations, per-service cards,
generated lists with their "why", skip reasons, per-scope results and the Plex plan diff.

Everything is JSON-ready; Rewind renders it, run_job prints it.

A report stays bounded whatever the run does: every list that enters it keeps its first
entries and counts the rest (a list's "items_left_out", a plan line's "add_left_out", a
section's report["left_out"]), so a sweep of many viewers writes a report of bounded size
per scope, and counts (scope results, sends) stay exact in their tallies.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import contextmanager

from jobs.errors import JobCancelled

SERVICE_STATES = ("ok", "not_enabled", "skipped", "failed")
SECTIONS = ("steps", "lists", "plan", "skips", "scopes", "notes", "sends")

ITEMS_KEPT = 100  # entries any list inside the report keeps (the most picks a run suggests)
NAMES_KEPT = 50  # titles a plan line names as added or removed (its counts cover all)
ENTRIES_KEPT = 500  # entries of one section (steps, plan lines, scopes...) and raw results
TEXT_KEPT = 1000  # characters of one string


def bounded(value, keep: int = ITEMS_KEPT):
    """A copy of JSON-ready `value` whose lists keep their first `keep` entries and whose
    strings their first TEXT_KEPT characters; a dict says how many entries it left out of its
    list `key` under `key + "_left_out"`, a list inside a list ends with a sentence."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if isinstance(item, list | tuple):
                out[key] = _kept(item, keep)
                if len(item) > keep:
                    out[f"{key}_left_out"] = len(item) - keep
            else:
                out[key] = bounded(item, keep)
        return out
    if isinstance(value, list | tuple):
        more = len(value) - keep
        return _kept(value, keep) + ([f"… and {more:,} more"] if more > 0 else [])
    if isinstance(value, str) and len(value) > TEXT_KEPT:
        return value[:TEXT_KEPT - 1] + "…"
    return value


def _kept(items, keep: int) -> list:
    """The first `keep` entries of a list, each bounded, without a sentence for the rest."""
    return [bounded(v, keep) for v in list(items)[:keep]]


class Report:
    # Called on entering each step (the runner's cancel check); may raise JobCancelled.
    checkpoint = staticmethod(lambda name: None)

    def __init__(self, data: dict | None = None):
        self.data = {"summary": "", "steps": [], "services": [], "lists": [], "plan": [],
                     "skips": [], "scopes": [], "notes": [], "sends": [], "left_out": {}}
        self.data.update(data or {})
        self.data.setdefault("left_out", {})
        # Reports saved before the tallies existed (a re-queued run goes on with its own).
        if "scope_counts" not in self.data:
            self.data["scope_counts"] = dict(Counter(s["status"] for s in self.data["scopes"]))
        if "send_counts" not in self.data:
            self.data["send_counts"] = {}
            for line in self.data.get("sends") or []:
                self._tally_send(line)

    def _add(self, section: str, entry) -> bool:
        """Append to a section unless it is full; then only count it. True when kept."""
        entries = self.data.setdefault(section, [])
        if len(entries) < ENTRIES_KEPT:
            entries.append(entry)
            return True
        left_out = self.data["left_out"]
        left_out[section] = left_out.get(section, 0) + 1
        return False

    # steps -------------------------------------------------------------------------------
    @contextmanager
    def step(self, name: str, **counts):
        """A step of the run. Entering one is where a cancelled run stops: the steps before it
        have finished, and any write a job makes (a dataset plan, rows in Plex) sits inside one
        step, so nothing is left half-written."""
        self.checkpoint(name)
        entry = {"name": bounded(name), "status": "running", "counts": dict(counts),
                 "duration_ms": 0}
        self._add("steps", entry)
        started = time.monotonic()
        try:
            yield entry["counts"]
        except BaseException as exc:
            entry["status"] = "cancelled" if isinstance(exc, JobCancelled) else "failed"
            entry["note"] = str(exc)[:300]
            raise
        else:
            entry["status"] = "ok"
        finally:
            entry["duration_ms"] = int((time.monotonic() - started) * 1000)

    # results -----------------------------------------------------------------------------
    def service(self, name: str, status: str, detail: str = "", suggested=()) -> None:
        assert status in SERVICE_STATES, status
        cards = self.data["services"]
        card = next((c for c in cards if c["name"] == name), None)
        if card is None:
            card = {"name": name}
            cards.append(card)
        card.update(status=status, detail=bounded(detail),
                    suggested=_kept(suggested, ITEMS_KEPT))

    def add_list(self, title: str, items, scope: str = "", total: int | None = None) -> None:
        """A generated list: its first ITEMS_KEPT items. `total` when the caller passes only
        the first ones of a longer list."""
        items = list(items)
        total = len(items) if total is None else max(total, len(items))
        kept = _kept(items, ITEMS_KEPT)
        entry = {"title": bounded(title), "scope": scope, "items": kept, "total": total}
        if total > len(kept):
            entry["items_left_out"] = total - len(kept)
        self._add("lists", entry)

    def add_plan(self, entries: list[dict], scope: str = "") -> None:
        """Plan lines; each names at most NAMES_KEPT titles added or removed, and says how
        many more (add_left_out, remove_left_out)."""
        for entry in entries:
            self._add("plan", bounded(dict(entry, scope=entry.get("scope") or scope),
                                      NAMES_KEPT))

    def send(self, line: dict) -> None:
        """One missing title's line: where it went (or would go) and the answer."""
        self._tally_send(line)
        self._add("sends", bounded(dict(line)))

    def _tally_send(self, line: dict) -> None:
        if not isinstance(line, dict):
            return
        mine = self.data["send_counts"].setdefault(str(line.get("service", "")), {})
        state = str(line.get("state", ""))
        mine[state] = mine.get(state, 0) + 1

    def skip(self, code: str, sentence: str, scope: str = "") -> None:
        self._add("skips", {"code": code, "reason": bounded(sentence), "scope": scope})

    def scope_result(self, scope: str, status: str, reason: str = "", **counts) -> None:
        tally = self.data["scope_counts"]
        tally[status] = tally.get(status, 0) + 1
        self._add("scopes", {"scope": scope, "status": status, "reason": bounded(reason),
                             "counts": bounded(counts)})

    def note(self, text: str) -> None:
        self._add("notes", bounded(text))

    def summary(self, text: str) -> None:
        self.data["summary"] = bounded(text)

    def attach(self, name: str, value) -> None:
        """Raw results of the engine (its as_dict()), kept for Rewind and the CLI: lists keep
        their first NAMES_KEPT entries (the lists and plan lines show the titles); at most
        ENTRIES_KEPT results a run."""
        raw = self.data.setdefault("raw", {})
        if name not in raw and len(raw) >= ENTRIES_KEPT:
            self.data["left_out"]["raw"] = self.data["left_out"].get("raw", 0) + 1
            return
        raw.pop(f"{name}_left_out", None)
        if isinstance(value, list | tuple):
            raw[name] = _kept(value, NAMES_KEPT)
            if len(value) > NAMES_KEPT:
                raw[f"{name}_left_out"] = len(value) - NAMES_KEPT
        else:
            raw[name] = bounded(value, NAMES_KEPT)

    # outcome -----------------------------------------------------------------------------
    def scope_statuses(self) -> set[str]:
        return {status for status, n in self.data["scope_counts"].items() if n}

    def scopes_sentence(self, done: str) -> str:
        """A sweep's summary: "Rows refreshed for 49 viewer and library pairs; 1 failed."."""
        counts = self.data["scope_counts"]
        ok = counts.get("ok", 0)
        text = f"{done} for {ok} viewer and library pair{'' if ok == 1 else 's'}"
        for status in ("failed", "skipped"):
            if counts.get(status):
                text += f"; {counts[status]} {status}"
        return text + "."

    def as_dict(self) -> dict:
        return self.data
