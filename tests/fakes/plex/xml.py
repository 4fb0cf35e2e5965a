"""XML elements shaped like Plex Media Server's, complete enough that plexapi never reloads.

plexapi reloads a listing item (one request each) whenever an attribute it reads is None or an
empty list, so listing elements carry the same children a real listing does: Media/Part,
Genre, Country, Director, Role and, with `includeGuids=1`, the Guid ids. Legacy-agent items
have no Guid children, exactly like a real server, so reading `.guids` on them does reload.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement

from tests.fakes.base import Response
from tests.fakes.plex.library import Library
from tests.fakes.plex.records import Item, Section, Version

XML = "text/xml;charset=utf-8"
_COUNTRIES = {"en": "United States of America", "fr": "France", "ko": "South Korea",
              "ja": "Japan", "es": "Spain"}


def sub(parent: Element | None, name: str, /, **attrs) -> Element:
    """An element with every non-None attribute turned into text."""
    values = {k: str(int(v) if isinstance(v, bool) else v) for k, v in attrs.items()
              if v is not None}
    return Element(name, values) if parent is None else SubElement(parent, name, values)


def container(**attrs) -> Element:
    return sub(None, "MediaContainer", **attrs)


_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                        "\n": "&#10;", "\r": "&#13;", "\t": "&#09;"})


def xml_response(root: Element, status: int = 200) -> Response:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    _write(root, parts)
    return Response(status, "".join(parts).encode(), content_type=XML)


def _write(el: Element, parts: list[str]) -> None:
    """ElementTree's own serializer is generic and twice as slow on 1,000-item pages."""
    attrs = "".join(f' {k}="{v.translate(_ESCAPE)}"' for k, v in el.attrib.items())
    if len(el):
        parts.append(f"<{el.tag}{attrs}>")
        for child in el:
            _write(child, parts)
        parts.append(f"</{el.tag}>")
    else:
        parts.append(f"<{el.tag}{attrs} />")


def empty_response(status: int = 200) -> Response:
    return Response(status, b"", content_type=XML)


# library ---------------------------------------------------------------------------------------
def section_element(parent: Element, s: Section) -> Element:
    art = {"movie": "movie", "show": "show"}.get(s.type, "artist")
    el = sub(parent, "Directory", allowSync=1, art=f"/:/resources/{art}-fanart.jpg",
             composite=f"/library/sections/{s.key}/composite/{s.updated_at}", filters=1,
             refreshing=0, thumb=f"/:/resources/{art}.png", key=s.key, type=s.type,
             title=s.title, agent=s.agent, scanner=s.scanner, language="en-US", uuid=s.uuid,
             updatedAt=s.updated_at, createdAt=s.created_at, scannedAt=s.scanned_at,
             content=1, directory=1, contentChangedAt=s.content_changed_at, hidden=0)
    sub(el, "Location", id=s.key, path=s.folder)
    return el


def section_attrs(s: Section) -> dict:
    """What a real server puts on the container of a section listing."""
    return dict(allowSync=1, identifier="com.plexapp.plugins.library", librarySectionID=s.key,
                librarySectionTitle=s.title, librarySectionUUID=s.uuid,
                mediaTagPrefix="/system/bundle/media/flags/", mediaTagVersion=1700000000,
                title1=s.title)


def excluded(query: dict) -> tuple[frozenset, frozenset]:
    """The elements and fields a request asks to leave out: Plex's "Response Customization"
    (developer.plex.tv/pms, API Info: `excludeElements=Media` omits the Media elements,
    `excludeFields=summary,tagline` those attributes; "treated as requests, not guarantees").
    The double's listings honour them; a request that sends none gets every element."""
    def names(key: str) -> frozenset:
        return frozenset(n for n in (query.get(key) or "").split(",") if n)
    return names("excludeElements"), names("excludeFields")


def item_element(parent: Element, lib: Library, item: Item, guids: bool = True,
                 member_of=(), streams: bool = False, drop=(frozenset(), frozenset()),
                 **extra) -> Element:
    """One metadata item as listings and `/library/metadata/{key}` show it.

    `member_of` are the collections holding the item, listed as `<Collection>` tags;
    `streams`: each Part's `<Stream>`s, which only the full item (`/library/metadata/{key}`)
    carries on a real server, not a listing (plexapi's MediaPart.streams reloads for them);
    `drop`: the (elements, fields) the request excluded (see `excluded`)."""
    build = {"movie": _movie, "show": _show, "season": _season, "episode": _episode}[item.kind]
    elements, fields = drop
    el = build(parent, lib, item, extra, elements)
    if elements or fields:
        _trim(el, elements, fields)
        member_of = () if "Collection" in elements else member_of
        guids = guids and "Guid" not in elements
    by_id = {str(v.id): v for v in item.versions()} if streams else {}
    for media in el.iter("Media") if streams else ():
        _streams(media.find("Part"), media, by_id[media.get("id")].hdr)
    for col in member_of:
        sub(el, "Collection", id=col.rating_key, filter=f"collection={col.rating_key}",
            tag=col.title)
    if guids:
        for guid in item.external_guids:
            sub(el, "Guid", id=guid)
    return el


def _trim(el: Element, elements: frozenset, fields: frozenset) -> None:
    for child in [c for c in el if c.tag in elements]:
        el.remove(child)
    for name in fields & el.attrib.keys():
        del el.attrib[name]


def _common(lib: Library, item: Item) -> dict:
    s = lib.sections[item.section]
    rk = item.rating_key
    return dict(ratingKey=rk, key=f"/library/metadata/{rk}", guid=item.guid, type=item.kind,
                title=item.title, librarySectionTitle=s.title, librarySectionID=s.key,
                librarySectionKey=f"/library/sections/{s.key}",
                thumb=f"/library/metadata/{rk}/thumb/{item.updated_at}",
                art=f"/library/metadata/{rk}/art/{item.updated_at}",
                addedAt=item.added_at, updatedAt=item.updated_at)


def _described(item: Item) -> dict:
    t = item.source
    return dict(summary=t.overview, contentRating="PG-13", studio="Catalog Pictures",
                rating=t.vote_average, audienceRating=t.vote_average,
                audienceRatingImage="themoviedb://image.rating", year=item.year,
                originallyAvailableAt=item.release, duration=item.duration_ms)


def _movie(parent: Element, lib: Library, item: Item, extra: dict, skip=frozenset()) -> Element:
    el = sub(parent, "Video", **_common(lib, item), **_described(item),
             tagline=f"{item.title}.", **extra)
    for version in item.versions() if "Media" not in skip else ():
        _media(el, lib, item, version)
    _tags(el, item, skip)
    return el


def _show(parent: Element, lib: Library, item: Item, extra: dict, skip=frozenset()) -> Element:
    leaves = sum(len(lib.items[s].children) for s in item.children)
    common = _common(lib, item) | {"key": f"/library/metadata/{item.rating_key}/children"}
    el = sub(parent, "Directory", **common, **_described(item), index=1,
             leafCount=leaves, viewedLeafCount=0, childCount=len(item.children), **extra)
    _tags(el, item, skip)
    return el


def _season(parent: Element, lib: Library, item: Item, extra: dict, skip=frozenset()) -> Element:
    show = lib.items[item.parent]
    common = _common(lib, item) | {"key": f"/library/metadata/{item.rating_key}/children"}
    return sub(parent, "Directory", **common, parentRatingKey=show.rating_key,
               parentGuid=show.guid, parentKey=show_key(show), parentTitle=show.title,
               parentThumb=f"/library/metadata/{show.rating_key}/thumb/{show.updated_at}",
               summary="", index=item.index, parentIndex=1, year=item.year,
               leafCount=len(item.children), viewedLeafCount=0, **extra)


def _episode(parent: Element, lib: Library, item: Item, extra: dict, skip=frozenset()) -> Element:
    season, show = lib.items[item.parent], lib.items[item.grandparent]
    el = sub(parent, "Video", **_common(lib, item), **_described(item),
             parentRatingKey=season.rating_key, grandparentRatingKey=show.rating_key,
             parentGuid=season.guid, grandparentGuid=show.guid, parentKey=show_key(season),
             grandparentKey=show_key(show), parentTitle=season.title,
             grandparentTitle=show.title, index=item.index, parentIndex=item.parent_index,
             parentThumb=f"/library/metadata/{season.rating_key}/thumb/{season.updated_at}",
             grandparentThumb=f"/library/metadata/{show.rating_key}/thumb/{show.updated_at}",
             grandparentArt=f"/library/metadata/{show.rating_key}/art/{show.updated_at}",
             **extra)
    for version in item.versions() if "Media" not in skip else ():
        _media(el, lib, item, version)
    if "Director" not in skip:
        sub(el, "Director", id=item.rating_key % 997 + 1, tag="Pat Director")
    return el


def show_key(item: Item) -> str:
    return f"/library/metadata/{item.rating_key}"


def _media(parent: Element, lib: Library, item: Item, v: Version) -> None:
    """A `<Media>` and its `<Part>` as python-plexapi's media.py reads them (Media: id,
    videoResolution, videoCodec, bitrate, width, height, videoProfile; MediaPart: file, size).
    HEVC/AV1 HDR versions are 10-bit ("main 10"), as their files are."""
    duration = item.duration_ms
    profile = "main 10" if v.hdr else "main"
    media = sub(parent, "Media", id=v.id, duration=duration, bitrate=v.kbps, width=v.width,
                height=v.height, aspectRatio=2.35, audioChannels=6, audioCodec="eac3",
                videoCodec=v.codec, videoResolution=v.resolution, container="mkv",
                videoFrameRate="24p", videoProfile=profile)
    sub(media, "Part", id=v.id, key=f"/library/parts/{v.id}/{item.added_at}/file.mkv",
        duration=duration, file=_file(lib, item, v.suffix), size=duration * v.kbps // 8,
        container="mkv", videoProfile=profile)


def _streams(part: Element | None, media: Element, hdr: str) -> None:
    """The video `<Stream>` of a Part (python-plexapi media.py VideoStream): HDR10 is
    colorTrc="smpte2084" with bt2020 primaries; Dolby Vision adds DOVIPresent="1"."""
    if part is None:
        return
    color = {"colorTrc": "smpte2084", "colorPrimaries": "bt2020", "bitDepth": 10} if hdr \
        else {"colorTrc": "bt709", "colorPrimaries": "bt709", "bitDepth": 8}
    dovi = {"DOVIPresent": 1, "DOVIProfile": 8, "DOVILevel": 6} if hdr == "Dolby Vision" else {}
    label = {"HDR10": " HDR10", "Dolby Vision": " DoVi"}.get(hdr, "")
    res = media.get("videoResolution", "")
    sub(part, "Stream", id=int(media.get("id")) * 10 + 1, streamType=1, index=0, default=1,
        codec=media.get("videoCodec"), bitrate=media.get("bitrate"),
        width=media.get("width"), height=media.get("height"), **color, **dovi,
        displayTitle=f"{res.upper() if res == '4k' else res + 'p'}{label} "
                     f"({media.get('videoCodec', '').upper()})")


def _file(lib: Library, item: Item, suffix: str) -> str:
    folder = lib.sections[item.section].folder
    t = item.source
    if item.kind == "episode":
        code = f"s{item.parent_index:02d}e{item.index:02d}"
        return f"{folder}/{t.title}/Season {item.parent_index:02d}/{t.title} - {code}{suffix}.mkv"
    name = f"{t.title} ({t.year})"
    return f"{folder}/{name}/{name}{suffix}.mkv"


def _tags(parent: Element, item: Item, skip=frozenset()) -> None:
    """Genre, Country, Director and Role tags; those in `skip` (excluded) are not built."""
    t = item.source
    for genre_id, name in list(t.genres.items())[:3] if "Genre" not in skip else ():
        sub(parent, "Genre", id=genre_id, filter=f"genre={genre_id}", tag=name)
    if "Country" not in skip:
        sub(parent, "Country", id=1, filter="country=1",
            tag=_COUNTRIES.get(t.original_language, "United States of America"))
    if item.kind == "movie" and "Director" not in skip:
        sub(parent, "Director", id=t.tmdb_id % 997 + 1, tag=f"Director {t.tmdb_id % 97}")
    for n in range(2) if "Role" not in skip else ():
        sub(parent, "Role", id=t.tmdb_id % 991 + n, tag=f"Actor {(t.tmdb_id + n) % 89}",
            role=f"Role {n + 1}")


# collections and hubs -------------------------------------------------------------------------
def collection_element(parent: Element, lib: Library, col, prefs: bool = False,
                       listing: bool = False) -> Element:
    """A collection as /library/metadata/{id} (and create/add answers) show it; `listing`:
    as a section listing (`/library/sections/{key}/all?type=18`) shows it on a real server,
    without collectionSort, smart or librarySectionID but with index, ratingCount and
    contentRating. plexapi's Collection reads collectionSort from the full object
    (/library/metadata/{id}, `Collection.collectionSort`; its prefs under includePreferences)."""
    s = lib.sections[col.section]
    rk = col.rating_key
    years = [lib.items[k].year for k in col.items if k in lib.items]
    thumb = (f"/library/metadata/{rk}/thumb/{col.poster_at}" if col.poster_at
             else f"/library/collections/{rk}/composite/{col.updated_at}")
    own = ({"ratingCount": len(col.items), "contentRating": "PG-13"} if listing else
           {"librarySectionID": s.key, "collectionSort": col.sort, "smart": 0})
    el = sub(parent, "Directory", ratingKey=rk, key=f"/library/collections/{rk}/children",
             guid=col.guid, type="collection", title=col.title, librarySectionTitle=s.title,
             librarySectionKey=f"/library/sections/{s.key}",
             subtype=col.subtype, summary=col.summary, index=rk, thumb=thumb,
             addedAt=col.added_at, updatedAt=col.updated_at, childCount=len(col.items),
             collectionMode=col.mode if col.mode != -1 else None,
             maxYear=max(years, default=None), minYear=min(years, default=None), **own)
    if prefs:
        _preferences(el, col)
    return el


def _preferences(parent: Element, col) -> None:
    prefs = sub(parent, "Preferences")
    sub(prefs, "Setting", id="collectionMode", label="Collection mode", summary="", type="int",
        default=-1, value=col.mode, hidden=0, advanced=0, group="",
        enumValues="-1:Library default|0:Hide collection|1:Hide items in this collection"
                   "|2:Show this collection and its items")
    sub(prefs, "Setting", id="collectionSort", label="Collection order", summary="",
        type="int", default=0, value=col.sort, hidden=0, advanced=0, group="",
        enumValues="0:Release date|1:Alphabetical|2:Custom")


def hub_element(parent: Element, hub) -> Element:
    home = {(True, True): "all", (True, False): "admin", (False, True): "shared"}
    return sub(parent, "Hub", identifier=hub.identifier, title=hub.title,
               recommendationsVisibility="all" if hub.recommended else "none",
               homeVisibility=home.get((hub.own_home, hub.shared_home), "none"),
               promotedToRecommended=hub.recommended, promotedToOwnHome=hub.own_home,
               promotedToSharedHome=hub.shared_home, deletable=hub.collection is not None)
