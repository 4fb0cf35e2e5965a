"""What the Radarr and Sonarr doubles answer alike, following the *arr source.

API key by `X-Api-Key`, `?apikey=` or Bearer (401 with an empty body otherwise); validation
failures are a 400 JSON list of FluentValidation failures; a command name the app does not know
is a 500 ("Sequence contains no matching element"). Also the system status, root folders,
quality profiles, tags, the command queue (wanted/missing: arr/wanted.py).
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime

from tests.fakes.arr.checked import SchemaChecked
from tests.fakes.base import FakeServer, Request, Response, route
from tests.fakes.catalog import Catalog

NEVER = "0001-01-01T00:00:00Z"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def failure(prop: str, message: str, code: str, value=None) -> dict:
    return {"propertyName": prop, "errorMessage": message, "attemptedValue": value,
            "severity": "error", "errorCode": code,
            "formattedMessagePlaceholderValues": {"propertyName": prop, "propertyValue": value}}


def invalid(*failures: dict) -> Response:
    return Response(400, list(failures))


def error_model(status: int, message: str) -> Response:
    return Response(status, {"message": message, "description": message})


def round_robin(*lists):
    for group in itertools.zip_longest(*lists):
        yield from (x for x in group if x is not None)


def apply_tags(current: list[int], tags: list[int], how: str) -> list[int]:
    if how == "add":
        return sorted(set(current) | set(tags))
    if how == "remove":
        return sorted(set(current) - set(tags))
    return sorted(set(tags))


class ArrDouble(SchemaChecked, FakeServer):
    """What Radarr and Sonarr answer alike: auth, status, root folders, profiles, tags and
    the command queue. Subclasses set `app_name`, `version`, `media_root`, `known_commands`."""

    app_name = "Arr"
    version = "0.0.0.0"
    media_root = "/data/media"
    known_commands: tuple[str, ...] = ()

    def __init__(self, catalog: Catalog, api_key: str, seed: int, **kwargs):
        self.catalog = catalog
        self.api_key = api_key
        self.seed_count = seed
        super().__init__(**kwargs)
        self.reset_state()

    def reset(self) -> None:
        """Back to the seeded state, with an empty request log: cheaper than a new server."""
        self.clear()
        self.reset_state()

    def reset_state(self) -> None:
        with self.lock:
            self.root_folders = [{"id": 1, "path": self.media_root, "accessible": True,
                                  "freeSpace": 4_000_000_000_000, "unmappedFolders": []}]
            self.quality_profiles = [self._profile(1, "Any"), self._profile(4, "HD-1080p"),
                                     self._profile(5, "Ultra-HD")]
            self.tags = [{"id": 1, "label": "kids"}]
            self.commands: list[dict] = []
            self._next_id = itertools.count(1)
            self._next_command = itertools.count(1)

    @staticmethod
    def _profile(pid: int, name: str) -> dict:
        return {"id": pid, "name": name, "upgradeAllowed": True, "cutoff": 7, "items": [],
                "minFormatScore": 0, "cutoffFormatScore": 0, "formatItems": []}

    # auth and errors --------------------------------------------------------------------------
    def authorize(self, req: Request) -> Response | None:
        given = (req.query.get("apikey") or req.headers.get("x-api-key")
                 or req.headers.get("authorization", "").replace("Bearer ", ""))
        if req.path.startswith("/api/") and given != self.api_key:
            return Response(401, None)
        return None

    def error_body(self, status):
        return {"type": "https://tools.ietf.org/html/rfc9110#section-15.5.5",
                "title": "Not Found" if status == 404 else f"HTTP {status}", "status": status}

    # checks shared by movie and series writes -------------------------------------------------
    def profile_failures(self, body: dict) -> list[dict]:
        pid = body.get("qualityProfileId") or 0
        if any(p["id"] == pid for p in self.quality_profiles):
            return []
        return [failure("QualityProfileId", "Quality Profile does not exist",
                        "QualityProfileExistsValidator", pid)]

    def root_failures(self, body: dict) -> list[dict]:
        root = body.get("rootFolderPath")
        if body.get("path"):
            return []
        if not root:
            return [failure("RootFolderPath", "'Root Folder Path' must not be empty.",
                            "NotEmptyValidator", root)]
        if not any(f["path"] == root.rstrip("/") for f in self.root_folders):
            return [failure("RootFolderPath", f"Root folder '{root}' does not exist",
                            "RootFolderExistsValidator", root)]
        return []

    def tag_ids(self) -> set[int]:
        return {t["id"] for t in self.tags}

    # common routes ----------------------------------------------------------------------------
    @route("GET", r"/api/v3/system/status")
    def system_status(self, req: Request):
        return {"appName": self.app_name, "instanceName": self.app_name,
                "version": self.version, "buildTime": "2025-01-01T00:00:00Z",
                "isDebug": False, "isProduction": True, "isAdmin": False,
                "isUserInteractive": False, "startupPath": f"/app/{self.app_name.lower()}/bin",
                "appData": "/config", "osName": "ubuntu", "osVersion": "22.04",
                "isNetCore": True, "isLinux": True, "isOsx": False, "isWindows": False,
                "isDocker": True, "mode": "console", "branch": "main",
                "authentication": "forms", "databaseType": "sqLite", "urlBase": "",
                "runtimeVersion": "8.0.12", "runtimeName": ".NET",
                "startTime": "2025-01-01T00:00:00Z", "packageUpdateMechanism": "docker"}

    @route("GET", r"/api/v3/rootfolder")
    def rootfolders(self, req: Request):
        return self.root_folders

    @route("GET", r"/api/v3/qualityprofile")
    def qualityprofiles(self, req: Request):
        return self.quality_profiles

    @route("GET", r"/api/v3/tag")
    def list_tags(self, req: Request):
        return self.tags

    @route("POST", r"/api/v3/tag")
    def add_tag(self, req: Request):
        label = str((req.json() or {}).get("label") or "")
        if not re.fullmatch(r"[a-z0-9-]+", label, re.IGNORECASE):  # TagController's rule
            return invalid(failure("Label", "Allowed characters a-z, 0-9 and -",
                                   "RegularExpressionValidator", label))
        with self.lock:  # Radarr hands back the existing tag rather than a duplicate
            tag = next((t for t in self.tags if t["label"] == label.lower()), None)
            if tag is None:
                tag = {"id": max(self.tag_ids(), default=0) + 1, "label": label.lower()}
                self.tags.append(tag)
        return Response(201, tag)

    # commands ---------------------------------------------------------------------------------
    def queue_command(self, name: str, body: dict, trigger: str = "manual") -> dict:
        """Record a command; `trigger` is "manual" for API posts, "unspecified" for the ones
        the app queues itself (refresh after add, search on add)."""
        stamp = now_iso()
        command = {
            "id": next(self._next_command), "name": name, "commandName": name,
            "body": {**body, "name": name, "trigger": trigger, "sendUpdatesToClient": True,
                     "updateScheduledTask": True, "requiresDiskAccess": False,
                     "isExclusive": False, "isLongRunning": False, "suppressMessages": False},
            "priority": "normal", "status": "queued", "result": "unknown", "queued": stamp,
            "trigger": trigger, "stateChangeTime": stamp, "sendUpdatesToClient": True,
            "updateScheduledTask": True,
        }
        with self.lock:
            self.commands.append(command)
        return command

    def commands_named(self, name: str, trigger: str | None = None) -> list[dict]:
        return [c for c in self.commands
                if c["name"] == name and (trigger is None or c["trigger"] == trigger)]

    def _settle(self) -> None:
        """A command is answered as queued, then found finished by the next read."""
        with self.lock:
            for c in self.commands:
                if c["status"] == "queued":
                    c.update(status="completed", result="successful", started=c["queued"],
                             ended=now_iso(), message="Completed", duration="00:00:00.0100000")

    @route("POST", r"/api/v3/command")
    def post_command(self, req: Request):
        body = req.json() or {}
        name = next((k for k in self.known_commands
                     if k.lower() == str(body.get("name", "")).lower()), None)
        if name is None:
            return error_model(500, "Sequence contains no matching element")
        command = self.queue_command(name, {k: v for k, v in body.items() if k != "name"})
        self.on_command(name, command["body"])
        return Response(201, dict(command))

    def on_command(self, name: str, body: dict) -> None:
        """What a posted command does to the state (subclasses: searches stamp
        lastSearchTime)."""

    def searched(self, records: list[dict]) -> None:
        stamp = now_iso()
        with self.lock:
            for record in records:
                record["lastSearchTime"] = stamp

    @route("GET", r"/api/v3/command")
    def list_commands(self, req: Request):
        self._settle()
        return self.commands

    @route("GET", r"/api/v3/command/(?P<cid>\d+)")
    def get_command(self, req: Request, cid: str):
        self._settle()
        found = next((c for c in self.commands if c["id"] == int(cid)), None)
        return found if found else Response(404, self.error_body(404))
