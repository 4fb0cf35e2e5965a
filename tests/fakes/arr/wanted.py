"""Wanted/missing and the searches that work it off, for the Radarr and Sonarr doubles.

Radarr: src/Radarr.Api.V3/Wanted/MissingController.cs, movies without a file (MovieFileId 0,
year > 0) whose `monitored` equals the query's (default true). Sonarr:
src/Sonarr.Api.V3/Wanted/MissingController.cs and EpisodeRepository.EpisodesWithoutFiles,
episodes without a file that have aired (specials included); `monitored=true` (the default)
keeps the episodes monitored in a monitored series, `false` the others; `includeSeries=true`
embeds the series. Both answer MovieResourcePagingResource / EpisodeResourcePagingResource.
A search command stamps what it covers with `lastSearchTime`, as ReleaseSearchService does
(MoviesSearch, MissingMoviesSearch; EpisodeSearch, SeriesSearch, MissingEpisodeSearch).
"""

from __future__ import annotations

from tests.fakes.arr.base import now_iso
from tests.fakes.base import Request, route


class PagedWanted:
    """Paging as both apps' PagingResource and MapToPagingSpec do it (src/*.Http/
    PagingResource.cs): `page` and `pageSize` default to 1 and 10; a `sortKey` outside the
    controller's allowed set falls back to its default; an absent `sortDirection` is
    descending and "default" is the controller's ascending. Subclasses set `sort_keys`
    {API key: record field} and `default_sort`; records with no value sort first (SQL NULLs
    ascending). Answers {page, pageSize, sortKey, sortDirection, totalRecords, records}."""

    sort_keys: dict[str, str] = {}
    default_sort = ""

    @staticmethod
    def flag(req: Request, name: str, default: bool) -> bool:
        raw = req.query.get(name)
        return default if raw in (None, "") else raw.strip().lower() == "true"

    def sort_value(self, record: dict, field: str):
        return record.get(field)

    def page_of(self, req: Request, records: list[dict]) -> dict:
        q = req.query
        page, size = max(1, int(q.get("page") or 1)), max(0, int(q.get("pageSize") or 10))
        wanted = str(q.get("sortKey") or "").lower()
        key = next((k for k in self.sort_keys if k.lower() == wanted), self.default_sort)
        direction = str(q.get("sortDirection") or "descending").lower()
        direction = "ascending" if direction == "default" else direction
        field = self.sort_keys[key]

        def order(record):
            value = self.sort_value(record, field)
            return (value is not None, value if value is not None else "", record["id"])

        ordered = sorted(records, key=order, reverse=direction == "descending")
        return {"page": page, "pageSize": size, "sortKey": key, "sortDirection": direction,
                "totalRecords": len(records),
                "records": ordered[(page - 1) * size:page * size]}


class RadarrWanted(PagedWanted):
    """Mixin for RadarrDouble (needs `movies`)."""

    sort_keys = {"movieMetadata.digitalRelease": "digitalRelease",
                 "movieMetadata.inCinemas": "inCinemas",
                 "movieMetadata.physicalRelease": "physicalRelease",
                 "movieMetadata.sortTitle": "sortTitle", "movieMetadata.year": "year",
                 "movies.lastSearchTime": "lastSearchTime"}
    default_sort = "movieMetadata.sortTitle"

    def missing(self, monitored: bool) -> list[dict]:
        return [m for m in self.movies.values()
                if not m["movieFileId"] and m["year"] > 0 and m["monitored"] == monitored]

    @route("GET", r"/api/v3/wanted/missing")
    def wanted_missing(self, req: Request):
        return self.page_of(req, self.missing(self.flag(req, "monitored", True)))

    def on_command(self, name: str, body: dict) -> None:
        ids = body.get("movieIds") or []
        if name == "MissingMoviesSearch":
            ids = [m["id"] for m in self.missing(True)]
        if name in ("MoviesSearch", "MissingMoviesSearch"):
            self.searched([self.movies[i] for i in ids if i in self.movies])


class SonarrWanted(PagedWanted):
    """Mixin for SonarrDouble (needs `series` and `episodes`)."""

    sort_keys = {"episodes.airDateUtc": "airDateUtc", "episodes.lastSearchTime": "lastSearchTime",
                 "series.sortTitle": "seriesSortTitle"}
    default_sort = "episodes.airDateUtc"

    def sort_value(self, record: dict, field: str):
        if field == "seriesSortTitle":
            return self.series[record["seriesId"]]["sortTitle"]
        return record.get(field)

    def missing(self, monitored: bool = True, series_id: int | None = None) -> list[dict]:
        now = now_iso()
        return [e for e in self.episodes.values()
                if not e["episodeFileId"] and (e["airDateUtc"] or "9") < now
                and (series_id is None or e["seriesId"] == series_id)
                and (e["monitored"] and self.series[e["seriesId"]]["monitored"]) == monitored]

    @route("GET", r"/api/v3/wanted/missing")
    def wanted_missing(self, req: Request):
        answer = self.page_of(req, self.missing(self.flag(req, "monitored", True)))
        if self.flag(req, "includeSeries", False):
            answer["records"] = [{**e, "series": self.series[e["seriesId"]]}
                                 for e in answer["records"]]
        return answer

    def on_command(self, name: str, body: dict) -> None:
        if name == "EpisodeSearch":
            self.searched([self.episodes[i] for i in body.get("episodeIds") or []
                           if i in self.episodes])
        elif name in ("MissingEpisodeSearch", "SeriesSearch"):
            self.searched(self.missing(True, body.get("seriesId")))
