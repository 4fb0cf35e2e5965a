"""The `<Meta>` block a section returns for `includeMeta=1`.

plexapi reads it before any `search()` with a sort or a Plex-side filter (`addedAt>>`,
`genre`…) to validate field names and operators, so the double must describe the same fields,
sorts and operators a real server does for the libraries it serves.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from tests.fakes.plex.records import TYPE_CODES, Section
from tests.fakes.plex.xml import sub

OPERATORS = {
    "tag": (("=", "is"), ("!=", "is not")),
    "integer": (("=", "is"), ("!=", "is not"), (">>=", "is greater than"),
                ("<<=", "is less than")),
    "string": (("=", "contains"), ("!=", "does not contain"), ("==", "is"), ("!==", "is not"),
               ("<=", "begins with"), (">=", "ends with")),
    "boolean": (("=", "is true"), ("!=", "is false")),
    "date": (("<<=", "is before"), (">>=", "is after")),
    "resolution": (("=", "is"), ("!=", "is not")),
}
_TITLES = {"movie": "Movies", "show": "TV Shows", "season": "Seasons", "episode": "Episodes",
           "collection": "Collections"}
_FIELDS = (("title", "Title", "string"), ("year", "Year", "integer"),
           ("originallyAvailableAt", "Release Date", "date"), ("addedAt", "Date Added", "date"),
           ("genre", "Genre", "tag"), ("contentRating", "Content Rating", "tag"),
           ("duration", "Duration", "integer"), ("unwatched", "Unplayed", "boolean"),
           ("resolution", "Resolution", "resolution"))
_SORTS = (("titleSort", "asc", "Title"), ("year", "desc", "Year"),
          ("originallyAvailableAt", "desc", "Release Date"), ("rating", "desc", "Critic Rating"),
          ("audienceRating", "desc", "Audience Rating"), ("duration", "desc", "Duration"),
          ("addedAt", "desc", "Date Added"), ("lastViewedAt", "desc", "Date Viewed"),
          ("viewCount", "desc", "Plays"), ("random", "asc", "Randomly"))
_FILTERS = (("genre", "string", "Genre"), ("year", "integer", "Year"),
            ("contentRating", "string", "Content Rating"), ("unwatched", "boolean", "Unplayed"))


def meta_element(parent: Element, section: Section, collections: bool = False) -> Element:
    meta = sub(parent, "Meta")
    libtypes = ["collection"] if collections else (
        ["movie"] if section.type == "movie" else ["show", "season", "episode"])
    for libtype in libtypes:
        _type_element(meta, section, libtype)
    for field_type, operators in OPERATORS.items():
        ft = sub(meta, "FieldType", type=field_type)
        for key, title in operators:
            sub(ft, "Operator", key=key, title=title)
    return meta


def _type_element(meta: Element, section: Section, libtype: str) -> None:
    code = TYPE_CODES[libtype]
    base = f"/library/sections/{section.key}"
    el = sub(meta, "Type", key=f"{base}/all?type={code}", type=libtype, title=_TITLES[libtype],
             active=int(libtype == section.type))
    for name, filter_type, title in _FILTERS:
        sub(el, "Filter", filter=name, filterType=filter_type, key=f"{base}/{name}?type={code}",
            title=title, type="filter")
    for key, direction, title in _SORTS:
        sub(el, "Sort", defaultDirection=direction, descKey=f"{key}:desc", key=key, title=title,
            firstCharacterKey=f"{base}/firstCharacter" if key == "titleSort" else None)
    prefix = "" if libtype == "movie" else f"{libtype}."  # as real show libraries name them
    for key, title, field_type in _FIELDS:
        sub(el, "Field", key=f"{prefix}{key}", title=title, type=field_type)
