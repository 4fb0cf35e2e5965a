"""Reading Plex listing elements (raw XML from plexapi's query) into PlexItem fields.

Raw elements, not plexapi objects: reading an empty attribute on a partial plexapi object
reloads it (one request per item — legacy-agent items have no <Guid> children at all), and
thousands of full objects cost far more memory than the few fields the index keeps.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

_LEGACY = re.compile(r"^com\.plexapp\.agents\.(?P<agent>[a-z]+)://(?P<id>[^?/]+)")
_LEGACY_SOURCES = {"imdb": "imdb", "themoviedb": "tmdb", "tmdb": "tmdb", "thetvdb": "tvdb",
                   "tvdb": "tvdb"}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def external_ids(element) -> dict:
    """tmdb/imdb/tvdb ids from <Guid id="tmdb://603"/> children, else the legacy agent guid."""
    ids: dict = {}
    for child in element.iter("Guid"):
        source, _, value = (child.get("id") or "").partition("://")
        if source in ("tmdb", "imdb", "tvdb") and value:
            ids.setdefault(source, value)
    legacy = _LEGACY.match(element.get("guid") or "")
    if legacy:
        source = _LEGACY_SOURCES.get(legacy["agent"])
        value = legacy["id"]
        if source == "imdb" and not value.startswith("tt"):
            source = None
        if source:
            ids.setdefault(source, value)
    return {"tmdb_id": _int(ids.get("tmdb")), "imdb_id": ids.get("imdb") or "",
            "tvdb_id": _int(ids.get("tvdb"))}


def hdr_of(media) -> str:
    """"Dolby Vision", "HDR10" or "" from a Media's video <Stream> (python-plexapi
    VideoStream: DOVIPresent, colorTrc "smpte2084"/"arib-std-b67" for PQ/HLG); None when the
    element carries no stream (listings don't; the full item does)."""
    streams = [s for s in media.iter("Stream") if s.get("streamType") == "1"]
    if not streams:
        return None
    video = streams[0]
    if video.get("DOVIPresent") == "1":
        return "Dolby Vision"
    trc = video.get("colorTrc") or ""
    return {"smpte2084": "HDR10", "arib-std-b67": "HLG"}.get(trc, "")


def versions(element) -> list[dict]:
    """The item's <Media> versions: what the duplicate cleanup ranks and names (media id,
    resolution, codec, bitrate, size, file; HDR when the element has its streams)."""
    found = []
    for media in element.iter("Media"):
        parts = list(media.iter("Part"))
        found.append({
            "id": _int(media.get("id")),
            "resolution": media.get("videoResolution") or "",
            "codec": media.get("videoCodec") or "",
            "profile": media.get("videoProfile") or "",
            "container": media.get("container") or "",
            "bitrate": _int(media.get("bitrate")),
            "size": sum(_int(p.get("size")) or 0 for p in parts),
            "file": parts[0].get("file", "") if parts else "",
            "hdr": hdr_of(media),
        })
    return found


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _when(value) -> datetime | None:
    seconds = _int(value)
    return datetime.fromtimestamp(seconds, UTC) if seconds else None


def item_fields(element) -> dict:
    """Everything PlexItem keeps about one <Video>/<Directory> listing element."""
    return {
        "rating_key": int(element.get("ratingKey")),
        "kind": element.get("type") or "",
        "title": (element.get("title") or "")[:500],
        "year": _int(element.get("year")),
        "guid": (element.get("guid") or "")[:300],
        "duration_ms": _int(element.get("duration")),
        "added_at": _when(element.get("addedAt")),
        "updated_at": _int(element.get("updatedAt")) or _int(element.get("addedAt")) or 0,
        "originally_available_at": _day(element.get("originallyAvailableAt")),
        "versions": versions(element),
        **external_ids(element),
    }


def entry_attr(entry, name: str):
    """An attribute of a plexapi object, an XML element or a webhook's Metadata dict."""
    getter = getattr(entry, "get", None)
    return getter(name) if callable(getter) else getattr(entry, name, None)


def show_rating_key(entry) -> int | None:
    """The show of an episode: its `grandparentRatingKey`, else the ratingKey at the end of
    `grandparentKey` ("/library/metadata/30" — all real history rows give). Reads a plexapi
    object, an XML element or a webhook's Metadata dict; None when neither is there."""
    key = _int(entry_attr(entry, "grandparentRatingKey"))
    if key is not None:
        return key
    path = str(entry_attr(entry, "grandparentKey") or "").rstrip("/")
    return _int(path.rsplit("/", 1)[-1]) if path.startswith("/library/metadata/") else None
