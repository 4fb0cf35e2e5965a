"""Radarr (movies by TMDB id) and Sonarr (shows by TVDB id): monitor again or add."""

from __future__ import annotations

from recommendations.missing.outcome import Result, tag_labels, write
from recommendations.models import SendState
from vault.clients.errors import BadResponseError, NotConfigured, name_of

EXISTS = {"radarr": "MovieExistsValidator", "sonarr": "SeriesExistsValidator"}


class Direct:
    """One run's sends to Radarr or Sonarr; tags and profile names are read once."""

    def __init__(self, client, task: str, search_now: bool, dry_run: bool):
        self.client, self.task, self.search_now, self.dry_run = client, task, search_now, dry_run
        self.name = name_of(client.service)
        self._tags: list | None = None
        self._profile = ""

    def check(self) -> None:
        if not self.client.root_folder or not self.client.quality_profile:
            raise NotConfigured(self.client.service, f"Choose a root folder and quality "
                                                     f"profile for {self.name} in the Vault.")

    def tags(self) -> list:
        if self._tags is None:
            ids = self.client.ensure_tags(tag_labels(self.task), create=not self.dry_run)
            self._tags = [i if i is not None else label for label, i in ids.items()]
            if self.client.tag and self.client.tag not in self._tags:
                self._tags.append(self.client.tag)
        return self._tags

    def profile(self) -> str:
        if not self._profile:
            names = {p["id"]: p["name"] for p in self.client.quality_profiles()}
            self._profile = names.get(self.client.quality_profile, "its quality profile")
        return self._profile

    def added(self, verb: str = "Added") -> str:
        labels = " and ".join(tag_labels(self.task))
        search = self.search_words()
        return (f"{verb} to {self.name} in {self.client.root_folder} with {self.profile()}, "
                f"tags {labels}{search}.")

    def search_words(self) -> str:
        if not self.search_now:
            return ""
        return "; a search would start" if self.dry_run else "; search started"

    def existing(self, item: dict) -> Result:
        if item.get("monitored"):
            return Result(SendState.ALREADY_THERE, f"Already in {self.name} and monitored.",
                          service_id=item.get("id"))
        if self.client.service == "radarr":
            path, body = "movie/editor", {"movieIds": [item["id"]], "monitored": True}
            search = {"name": "MoviesSearch", "movieIds": [item["id"]]}
        else:  # Sonarr's editor differs across versions; the series PUT is in both
            path, body = f"series/{item['id']}", {**item, "monitored": True,
                                                  "seasons": self.seasons_again(item)}
            search = {"name": "SeriesSearch", "seriesId": item["id"]}
        if not self.dry_run:
            self.client.api.put(path, json=body, expect=None)
            if self.search_now:
                self.client.command(**search)
        again = "Would be monitored again" if self.dry_run else "Monitored again"
        return Result(SendState.REMONITORED, f"{again} in {self.name}{self.search_words()}.",
                      service_id=item.get("id"), request=write("PUT", path, body))

    def seasons_again(self, item: dict) -> list[dict]:
        """The seasons to monitor again, by the task's season choice. The series flag alone
        searches nothing: Sonarr only searches monitored episodes, and a season's episodes
        follow its flag when the series is saved (Sonarr's UpdateSeries matches episodes to
        their season). Specials stay as they were."""
        seasons = [dict(s) for s in item.get("seasons") or []]
        regular = [s["seasonNumber"] for s in seasons if s.get("seasonNumber", 0) > 0]
        choice = self.client.defaults.get("season_monitor", "all")
        wanted = ({min(regular)} if choice in ("firstSeason", "pilot") and regular
                  else {max(regular)} if choice == "latestSeason" and regular
                  else set(regular))
        for season in seasons:
            if season.get("seasonNumber") in wanted:
                season["monitored"] = True
        return seasons

    def post(self, path: str, body: dict) -> Result:
        request = write("POST", path, body)
        if self.dry_run:
            return Result(SendState.SENT, self.added("Would be added"),
                          request=request)
        try:
            answer = self.client.api.post(path, json=body, expect=dict)
        except BadResponseError as exc:
            if EXISTS[self.client.service] in str(exc) or "already" in str(exc).lower():
                return Result(SendState.ALREADY_THERE, f"Already in {self.name}.")
            raise
        return Result(SendState.SENT, self.added(), service_id=answer.get("id"),
                      added_by_us=True, request=request,
                      answer={"id": answer.get("id"), "title": answer.get("title")})

    def movie(self, missing) -> Result:
        found = self.client.movie(missing.tmdb_id)
        if found:
            return self.existing(found)
        looked = self.client.lookup(missing.tmdb_id)
        body = {"title": looked.get("title") or missing.title, "tmdbId": int(missing.tmdb_id),
                "year": looked.get("year") or missing.year or 0,
                "qualityProfileId": self.client.quality_profile,
                "rootFolderPath": self.client.root_folder, "monitored": True,
                "minimumAvailability": self.client.defaults.get("minimum_availability",
                                                                "released"),
                "tags": self.tags(), "addOptions": {"searchForMovie": self.search_now}}
        return self.post("movie", body)

    def show(self, missing) -> Result:
        if not missing.tvdb_id:
            return Result(SendState.FAILED, "TMDB knows no TVDB id for it.")
        found = self.client.series(missing.tvdb_id)
        if found:
            return self.existing(found[0])
        looked = (self.client.lookup(missing.tvdb_id) or [{}])[0]
        d = self.client.defaults
        body = {"title": looked.get("title") or missing.title, "tvdbId": int(missing.tvdb_id),
                "qualityProfileId": self.client.quality_profile,
                "rootFolderPath": self.client.root_folder,
                "seriesType": d.get("series_type", "standard"), "monitored": True,
                "seasonFolder": True, "tags": self.tags(),
                "addOptions": {"monitor": d.get("season_monitor", "all"),
                               "searchForMissingEpisodes": self.search_now}}
        if looked.get("seasons"):
            body["seasons"] = looked["seasons"]
        if d.get("language_profile"):
            body["languageProfileId"] = int(d["language_profile"])
        return self.post("series", body)

    def send(self, missing, media_type: str, viewer=None) -> Result:
        return self.movie(missing) if media_type == "movie" else self.show(missing)
