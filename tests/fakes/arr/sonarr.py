"""A stateful Sonarr v4 double (its API is still /api/v3); its shapes are in arr/series.py.

Follows Sonarr's source: `series/lookup?term=tvdb:ID` answers the library series when it
exists (with its `id`), metadata otherwise, and `[]` for an unknown id; `languageprofile` is the
deprecated single profile v4 keeps; adding a series applies `addOptions.monitor` to episodes
and queues RefreshSeries plus the search its options ask for. Sonarr/Sonarr HEAD (v4) keeps
LanguageProfileController as [Obsolete("Deprecated")] answering one "Deprecated" profile.
`SonarrDouble(catalog, v3=True)` plays v3: version 3.0.10, real language profiles, and an add
without a known `languageProfileId` is a 400 LanguageProfileExistsValidator (v3's message is
*unverified* here: the mirror holds v4 only). SeriesExistsValidator's message, "This series has
already been added", is from src/NzbDrone.Core/Validation/Paths/SeriesExistsValidator.cs.

Wanted/missing follows src/Sonarr.Api.V3/Wanted/MissingController.cs and EpisodeRepository's
EpisodesWithoutFiles: episodes without a file that have aired (airDateUtc before now, specials
included); `monitored=true` (the default) keeps episodes monitored in a monitored series,
`false` the others; paged like Radarr (arr/base.py PagedWanted), sorted by airDateUtc unless
`sortKey` names episodes.lastSearchTime or series.sortTitle; `includeSeries=true` embeds the
series. EpisodeSearch, SeriesSearch and MissingEpisodeSearch stamp the episodes they cover with
`lastSearchTime` (ReleaseSearchService).
"""

from __future__ import annotations

import re
from datetime import date

from tests.fakes.arr.base import (
    ArrDouble,
    error_model,
    failure,
    invalid,
    now_iso,
    round_robin,
)
from tests.fakes.arr.series import (
    V3_LANGUAGE_PROFILES,
    air_date,
    episode_stats,
    monitor_rule,
    series_metadata,
)
from tests.fakes.arr.wanted import SonarrWanted
from tests.fakes.base import Request, Response, route
from tests.fakes.catalog import Catalog, Title

LANGUAGE_PROFILE = {"id": 1, "name": "Deprecated", "upgradeAllowed": True,
                    "cutoff": {"id": 1, "name": "English"},
                    "languages": [{"language": {"id": 1, "name": "English"}, "allowed": True}]}


class SonarrDouble(SonarrWanted, ArrDouble):
    """State: `series` {id: resource}, `episodes` {id: resource}, `commands`, `tags`.

    Seeded with `seed` shows (missing / upcoming / in Plex, alternating monitored);
    `reset()` restores that seed.
    """

    name = "sonarr"
    schema_service = "sonarr"
    app_name = "Sonarr"
    version = "4.0.15.2941"
    media_root = "/data/tv"
    known_commands = ("EpisodeSearch", "SeasonSearch", "SeriesSearch", "MissingEpisodeSearch",
                      "CutoffUnmetEpisodeSearch", "RefreshSeries", "RssSync", "RescanSeries")

    def __init__(self, catalog: Catalog, api_key: str = "sonarr-key", seed: int = 4,
                 v3: bool = False, **kwargs):
        self.v3 = v3
        if v3:
            self.version = "3.0.10.1567"
        super().__init__(catalog, api_key, seed, **kwargs)

    def reset_state(self) -> None:
        super().reset_state()
        self.series: dict[int, dict] = {}
        self.episodes: dict[int, dict] = {}
        self._seed(self.seed_count)

    def _seed(self, count: int) -> None:
        shows = self.catalog.shows
        picks = list(round_robin([t for t in shows if not t.in_plex and not t.upcoming],
                                 [t for t in shows if t.upcoming],
                                 [t for t in shows if t.in_plex]))[:count]
        for i, t in enumerate(picks):
            seasons = [{"seasonNumber": n, "monitored": i % 2 == 0}
                       for n in range(1, t.seasons + 1)]
            self._store(t, {"monitored": i % 2 == 0, "qualityProfileId": 4, "seasons": seasons,
                            "rootFolderPath": self.media_root, "seasonFolder": True})

    # shapes -----------------------------------------------------------------------------------
    def _store(self, t: Title, body: dict) -> dict:
        root = (body.get("rootFolderPath") or self.media_root).rstrip("/")
        series = series_metadata(t)
        series.update(
            id=next(self._next_id), monitored=bool(body.get("monitored", True)),
            qualityProfileId=body["qualityProfileId"], tags=list(body.get("tags") or []),
            seasonFolder=bool(body.get("seasonFolder", True)), added=now_iso(),
            path=body.get("path") or f"{root}/{t.title}", rootFolderPath=root,
            seriesType=body.get("seriesType") or "standard",
        )
        wanted = {s["seasonNumber"]: bool(s.get("monitored")) for s in body.get("seasons") or []}
        for season in series["seasons"]:
            season["monitored"] = wanted.get(season["seasonNumber"], False)
        with self.lock:
            self.series[series["id"]] = series
            self._make_episodes(t, series)
        self._restat(series)
        return series

    def _make_episodes(self, t: Title, series: dict) -> None:
        today = date.today()
        for season in series["seasons"]:
            for e in range(1, t.episodes_per_season + 1):
                aired = air_date(t, season["seasonNumber"], e)
                eid = series["id"] * 10_000 + season["seasonNumber"] * 100 + e
                has_file = t.in_plex and aired <= today
                self.episodes[eid] = {
                    "id": eid, "seriesId": series["id"], "tvdbId": 7_000_000 + eid,
                    "episodeFileId": eid if has_file else 0,
                    "seasonNumber": season["seasonNumber"], "lastSearchTime": None,
                    "episodeNumber": e, "title": f"Episode {e}", "airDate": aired.isoformat(),
                    "airDateUtc": f"{aired}T01:00:00Z", "runtime": t.runtime_minutes,
                    "hasFile": has_file, "monitored": season["monitored"],
                    "unverifiedSceneNumbering": False,
                }

    def _restat(self, series: dict) -> None:
        """Season and series statistics follow the episodes, as Sonarr recomputes them."""
        mine = [e for e in self.episodes.values() if e["seriesId"] == series["id"]]
        for season in series["seasons"]:
            eps = [e for e in mine if e["seasonNumber"] == season["seasonNumber"]]
            season["statistics"] = episode_stats(eps)
        series["statistics"] = {"seasonCount": len(series["seasons"]), **episode_stats(mine)}

    def seed_series(self, t: Title, monitored: bool = True) -> dict:
        """Put a series in the library directly (no request logged), every season monitored
        as the series is; episodes have files when the catalog has the show in Plex."""
        seasons = [{"seasonNumber": n, "monitored": monitored} for n in range(1, t.seasons + 1)]
        return self._store(t, {"monitored": monitored, "qualityProfileId": 4, "seasons": seasons})

    def series_by_tvdb(self, tvdb_id: int) -> dict | None:
        return next((s for s in self.series.values() if s["tvdbId"] == int(tvdb_id)), None)

    def episodes_of(self, series_id: int, season: int | None = None) -> list[dict]:
        return sorted((e for e in self.episodes.values() if e["seriesId"] == series_id
                       and (season is None or e["seasonNumber"] == season)),
                      key=lambda e: (e["seasonNumber"], e["episodeNumber"]))

    # reads ------------------------------------------------------------------------------------
    @route("GET", r"/api/v3/languageprofile")
    def language_profiles(self, req: Request):
        if self.v3:
            return V3_LANGUAGE_PROFILES
        return Response(200, [LANGUAGE_PROFILE], {"Deprecation": "true"})

    @route("GET", r"/api/v3/series")
    def list_series(self, req: Request):
        if "tvdbId" in req.query:
            found = self.series_by_tvdb(int(req.query["tvdbId"]))
            return [found] if found else []
        return list(self.series.values())

    @route("GET", r"/api/v3/series/(?P<sid>\d+)")
    def get_series(self, req: Request, sid: str):
        found = self.series.get(int(sid))
        return found if found else Response(404, self.error_body(404))

    @route("GET", r"/api/v3/series/lookup")
    def lookup(self, req: Request):
        term = req.query.get("term", "").strip().lower()
        if term.startswith(("tvdb:", "tvdbid:")):
            slug = term.split(":", 1)[1].strip()
            tvdb_id = int(slug) if slug.isdigit() else 0
            existing = self.series_by_tvdb(tvdb_id)
            t = self.catalog.by_tvdb.get(tvdb_id)
            return [existing] if existing else ([series_metadata(t)] if t else [])
        wanted = re.findall(r"[a-z0-9]+", term)
        hits = [t for t in self.catalog.shows
                if wanted and all(w in t.title.lower().split() for w in wanted)]
        return [self.series_by_tvdb(t.tvdb_id) or series_metadata(t) for t in hits[:20]]

    @route("GET", r"/api/v3/episode")
    def list_episodes(self, req: Request):
        q = req.query
        if q.get("seriesId"):
            season = int(q["seasonNumber"]) if q.get("seasonNumber") else None
            return self.episodes_of(int(q["seriesId"]), season)
        if q.get("episodeIds"):  # repeated keys collapse in the log, so accept "1,2,3" too
            ids = [int(i) for i in q["episodeIds"].split(",") if i]
            return [self.episodes[i] for i in ids if i in self.episodes]
        return error_model(400, "seriesId or episodeIds must be provided")

    # writes -----------------------------------------------------------------------------------
    @route("POST", r"/api/v3/series")
    def add_series(self, req: Request):
        body = req.json() or {}
        tvdb_id = int(body.get("tvdbId") or 0)
        failures = self.profile_failures(body) + self.root_failures(body)
        if not body.get("title"):
            failures.append(failure("Title", "'Title' must not be empty.", "NotEmptyValidator"))
        if self.v3 and body.get("languageProfileId") not in {1, 2}:
            failures.append(failure("LanguageProfileId", "Language profile does not exist",
                                    "LanguageProfileExistsValidator",
                                    body.get("languageProfileId")))
        if tvdb_id <= 0:
            failures.append(failure("TvdbId", "'Tvdb Id' must be greater than '0'.",
                                    "GreaterThanValidator", tvdb_id))
        elif self.series_by_tvdb(tvdb_id):
            failures.append(failure("TvdbId", "This series has already been added",
                                    "SeriesExistsValidator", tvdb_id))
        if failures:
            return invalid(*failures)
        t = self.catalog.by_tvdb.get(tvdb_id)
        if t is None:
            return invalid(failure("TvdbId", "A series with this ID was not found. Path: "
                                   f"{body.get('path') or ''}", None, tvdb_id))
        return Response(201, self._added(t, body))

    def _added(self, t: Title, body: dict) -> dict:
        series = self._store(t, body)
        options = body.get("addOptions") or {}
        self._apply_monitor(series, options.get("monitor") or "unknown")
        self.queue_command("RefreshSeries", {"seriesIds": [series["id"]], "isNewSeries": True},
                           "unspecified")
        missing, cutoff = (options.get("searchForMissingEpisodes"),
                           options.get("searchForCutoffUnmetEpisodes"))
        if missing and cutoff:
            self.queue_command("SeriesSearch", {"seriesId": series["id"]}, "unspecified")
        elif missing:
            self.queue_command("MissingEpisodeSearch", {"seriesId": series["id"]}, "unspecified")
        elif cutoff:
            self.queue_command("CutoffUnmetEpisodeSearch", {"seriesId": series["id"]},
                               "unspecified")
        return series

    def _apply_monitor(self, series: dict, monitor: str) -> None:
        numbers = [s["seasonNumber"] for s in series["seasons"]]
        rule = monitor_rule(monitor, min(numbers, default=1), max(numbers, default=1))
        if rule is None:
            return
        with self.lock:
            eps = self.episodes_of(series["id"])
            for e in eps:
                e["monitored"] = rule(e)
            for season in series["seasons"]:
                season["monitored"] = any(e["monitored"] for e in eps
                                          if e["seasonNumber"] == season["seasonNumber"])
        self._restat(series)

    @route("PUT", r"/api/v3/series/(?P<sid>\d+)")
    def update_series(self, req: Request, sid: str):
        body = req.json() or {}
        series_id = int(body.get("id") or sid)
        failures = self.profile_failures(body)
        if not body.get("path"):
            failures.append(failure("Path", "'Path' must not be empty.", "NotEmptyValidator"))
        if failures:
            return invalid(*failures)
        series = self.series.get(series_id)
        if series is None:
            return error_model(404, f"Series with ID {series_id} does not exist")
        with self.lock:
            for key in ("monitored", "qualityProfileId", "seasonFolder", "path", "seriesType",
                        "monitorNewItems"):
                if key in body:
                    series[key] = body[key]
            series["tags"] = list(body.get("tags") or [])
            self._update_seasons(series, body.get("seasons") or [])
        self._restat(series)
        return Response(202, series)

    def _update_seasons(self, series: dict, seasons: list[dict]) -> None:
        """A season whose flag changes takes its episodes with it, as Sonarr does."""
        wanted = {s["seasonNumber"]: bool(s.get("monitored")) for s in seasons}
        for season in series["seasons"]:
            flag = wanted.get(season["seasonNumber"], season["monitored"])
            if flag != season["monitored"]:
                for e in self.episodes_of(series["id"], season["seasonNumber"]):
                    e["monitored"] = flag
            season["monitored"] = flag

    @route("PUT", r"/api/v3/episode/monitor")
    def monitor_episodes(self, req: Request):
        body = req.json() or {}
        ids = [i for i in body.get("episodeIds") or [] if i in self.episodes]
        with self.lock:
            for i in ids:
                self.episodes[i]["monitored"] = bool(body.get("monitored"))
        for sid in {self.episodes[i]["seriesId"] for i in ids}:
            self._restat(self.series[sid])
        return Response(202, [self.episodes[i] for i in ids])
