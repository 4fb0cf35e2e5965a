"""The report a run builds as it goes: steps with counts and durations, per-service cards,
generated lists with their "why", skip reasons, per-scope results and the Plex plan diff.

Everything is JSON-ready; Rewind renders it, run_job prints it.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

from jobs.errors import JobCancelled

SERVICE_STATES = ("ok", "not_enabled", "skipped", "failed")


class Report:
    # Called on entering each step (the runner's cancel check); may raise JobCancelled.
    checkpoint = staticmethod(lambda name: None)

    def __init__(self, data: dict | None = None):
        self.data = {"summary": "", "steps": [], "services": [], "lists": [], "plan": [],
                     "skips": [], "scopes": [], "notes": [], "sends": []}
        self.data.update(data or {})

    # steps -------------------------------------------------------------------------------
    @contextmanager
    def step(self, name: str, **counts):
        """A step of the run. Entering one is where a cancelled run stops: the steps before it
        have finished, and any write a job makes (a dataset plan, rows in Plex) sits inside one
        step, so nothing is left half-written."""
        self.checkpoint(name)
        entry = {"name": name, "status": "running", "counts": dict(counts), "duration_ms": 0}
        self.data["steps"].append(entry)
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
        card.update(status=status, detail=detail, suggested=list(suggested)[:100])

    def add_list(self, title: str, items: list[dict], scope: str = "") -> None:
        self.data["lists"].append({"title": title, "scope": scope, "items": items})

    def add_plan(self, entries: list[dict], scope: str = "") -> None:
        for entry in entries:
            self.data["plan"].append(dict(entry, scope=entry.get("scope") or scope))

    def send(self, line: dict) -> None:
        """One missing title's line: where it went (or would go) and the answer."""
        self.data.setdefault("sends", []).append(dict(line))

    def skip(self, code: str, sentence: str, scope: str = "") -> None:
        self.data["skips"].append({"code": code, "reason": sentence, "scope": scope})

    def scope_result(self, scope: str, status: str, reason: str = "", **counts) -> None:
        self.data["scopes"].append({"scope": scope, "status": status, "reason": reason,
                                    "counts": counts})

    def note(self, text: str) -> None:
        self.data["notes"].append(text)

    def summary(self, text: str) -> None:
        self.data["summary"] = text

    def attach(self, name: str, value) -> None:
        """Raw results of the engine (its as_dict()), kept for Rewind and the CLI."""
        self.data.setdefault("raw", {})[name] = value

    # outcome -----------------------------------------------------------------------------
    def scope_statuses(self) -> set[str]:
        return {s["status"] for s in self.data["scopes"]}

    def as_dict(self) -> dict:
        return self.data
