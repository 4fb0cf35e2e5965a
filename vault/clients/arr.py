"""Radarr and Sonarr (v3 API) over the shared HTTP helper: what both have in common.

Every request goes through one JsonApi and is counted (`client.requests`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from vault.clients.http import JsonApi


@dataclass(frozen=True)
class Choices:
    """What the Vault offers for root folder, quality profile and tag."""

    root_folders: list[str]
    quality_profiles: list[tuple[int, str]]
    tags: list[tuple[int, str]]


@dataclass
class Wanted:
    """What /wanted/missing gave: the records kept (at most the limit asked), the app's own
    total of missing monitored records, and how many were read but not kept."""

    records: list[dict] = field(default_factory=list)
    total: int = 0
    passed: int = 0
    pages: int = 0


WANTED_PAGE_MAX = 1000  # records per /wanted/missing page
WANTED_PAGES_MAX = 20  # pages one listing reads at most, whatever is passed over


class ArrClient:
    service = "arr"

    def __init__(self, url: str, api_key: str, *, root_folder: str = "",
                 quality_profile: int | None = None, tag: int | None = None, **defaults):
        self.api = JsonApi(self.service, f"{url.rstrip('/')}/api/v3/",
                           headers={"X-Api-Key": api_key})
        self.root_folder = root_folder
        self.quality_profile = quality_profile
        self.tag = tag
        # the service's own add defaults: Radarr minimum_availability; Sonarr series_type,
        # season_monitor, language_profile (v3)
        self.defaults = defaults

    @property
    def requests(self) -> int:
        return self.api.requests

    def status(self) -> dict:
        return self.api.get("system/status", expect=dict)

    def root_folders(self) -> list[dict]:
        return self.api.get("rootfolder", expect=list)

    def quality_profiles(self) -> list[dict]:
        return self.api.get("qualityprofile", expect=list)

    def tags(self) -> list[dict]:
        return self.api.get("tag", expect=list)

    def choices(self) -> Choices:
        return Choices([f["path"] for f in self.root_folders()],
                       [(p["id"], p["name"]) for p in self.quality_profiles()],
                       [(t["id"], t["label"]) for t in self.tags()])

    def ensure_tags(self, labels: list[str], *, create: bool = True) -> dict[str, int | None]:
        """Tag ids by label, creating the missing ones (None for them when not `create`)."""
        known = {t["label"].lower(): t["id"] for t in self.tags()}
        ids: dict[str, int | None] = {}
        for label in labels:
            if label.lower() not in known and create:
                known[label.lower()] = self.api.post("tag", json={"label": label},
                                                     expect=dict)["id"]
            ids[label] = known.get(label.lower())
        return ids

    def command(self, name: str, **body) -> dict:
        return self.api.post("command", json={"name": name, **body}, expect=dict)

    def wanted_page(self, page: int, page_size: int, **params) -> dict:
        """One page of GET /wanted/missing (monitored only unless told otherwise):
        {page, pageSize, sortKey, sortDirection, totalRecords, records}."""
        query = {"page": int(page), "pageSize": int(page_size), "monitored": "true", **params}
        return self.api.get("wanted/missing", params=query, expect=dict)

    def wanted(self, limit: int, keep: Callable[[dict], bool] = lambda record: True,
               **params) -> Wanted:
        """Up to `limit` missing monitored records that `keep` accepts, read page by page
        (pages of up to WANTED_PAGE_MAX, at most WANTED_PAGES_MAX of them)."""
        found = Wanted()
        size = max(1, min(int(limit), WANTED_PAGE_MAX))
        while len(found.records) < limit and found.pages < WANTED_PAGES_MAX:
            page = self.wanted_page(found.pages + 1, size, **params)
            found.pages += 1
            found.total = int(page.get("totalRecords") or 0)
            records = [r for r in page.get("records") or [] if isinstance(r, dict)]
            for record in records:
                if len(found.records) >= limit:
                    break
                if keep(record):
                    found.records.append(record)
                else:
                    found.passed += 1
            if len(records) < size or found.pages * size >= found.total:
                break
        return found

    def defaults_problem(self, choices: Choices) -> str:
        """Why the saved root folder / quality profile / tag do not fit, or ''."""
        name = self.service.capitalize()
        if self.root_folder and self.root_folder.rstrip("/") not in \
                [p.rstrip("/") for p in choices.root_folders]:
            return f"{name} has no root folder {self.root_folder}."
        if self.quality_profile and self.quality_profile not in \
                [pid for pid, _ in choices.quality_profiles]:
            return f"{name} has no quality profile with id {self.quality_profile}."
        if self.tag and self.tag not in [tid for tid, _ in choices.tags]:
            return f"{name} has no tag with id {self.tag}."
        return ""
