"""Overseerr / Jellyseerr / Seerr: requests credited to the viewer whose run found the title."""

from __future__ import annotations

from recommendations.missing.outcome import Result, write
from recommendations.models import SendState
from vault.clients.errors import AuthError, BadResponseError

# Sonarr's season policy, in Overseerr's words ("all" or season numbers)
SEASONS = {"firstSeason": [1], "pilot": [1]}


def plex_id(viewer) -> int | None:
    return viewer.plextv_id or None


def unmapped(viewer) -> str:
    pid = plex_id(viewer)
    if pid is None:
        return f"no plex.tv id is known for {viewer.name}"
    return f"no Overseerr user has Plex id {pid}"


class Seerr:
    """One run's requests; Overseerr's users are read once and matched by `plexId`."""

    def __init__(self, client, season_monitor: str, dry_run: bool):
        self.client, self.dry_run = client, dry_run
        self.seasons = SEASONS.get(season_monitor, "all")
        self._users: dict[int, dict] | None = None

    def user_for(self, viewer) -> dict | None:
        if self._users is None:
            self._users = {int(u["plexId"]): u for u in self.client.all_users()
                           if u.get("plexId")}
        pid = plex_id(viewer)
        return self._users.get(int(pid)) if pid else None

    def body(self, missing, media_type: str, user: dict | None) -> dict:
        body = {"mediaType": "movie" if media_type == "movie" else "tv",
                "mediaId": int(missing.tmdb_id)}
        if media_type != "movie":
            body["seasons"] = self.seasons
            if missing.tvdb_id:
                body["tvdbId"] = int(missing.tvdb_id)
        if user:
            body["userId"] = int(user["id"])
        return body

    def send(self, missing, media_type: str, viewer) -> Result:
        user = self.user_for(viewer)
        body = self.body(missing, media_type, user)
        name = (user or {}).get("displayName") or (user or {}).get("username") or ""
        credit = (f"for {name or viewer.name}" if user
                  else f"as the API key's user: {unmapped(viewer)}")
        request = write("POST", "request", body)
        result = Result(SendState.SENT, f"Requested in Overseerr {credit}.", request=request,
                        requested_as=user["id"] if user else None, requested_as_name=name)
        if self.dry_run:
            result.sentence = f"Would be requested in Overseerr {credit}."
            return result
        try:
            answer = self.call(missing, media_type, user)
        except BadResponseError as exc:
            if exc.status == 409:
                return Result(SendState.ALREADY_THERE, "Already requested in Overseerr.")
            raise
        except AuthError as exc:
            if exc.status == 403:
                return Result(SendState.FAILED, f"Overseerr refused it: {exc.message}")
            raise
        if not answer.get("id"):  # 202: every season asked for is requested or available
            return Result(SendState.ALREADY_THERE, "Already requested in Overseerr ("
                          f"{answer.get('message') or 'nothing left to request'}).")
        result.service_id, result.added_by_us = answer.get("id"), True
        result.answer = {"id": answer.get("id"), "status": answer.get("status")}
        return result

    def call(self, missing, media_type: str, user: dict | None) -> dict:
        uid = user["id"] if user else None
        if media_type == "movie":
            return self.client.request_movie(missing.tmdb_id, user_id=uid)
        return self.client.request_tv(missing.tmdb_id, self.seasons, tvdb_id=missing.tvdb_id,
                                      user_id=uid)
