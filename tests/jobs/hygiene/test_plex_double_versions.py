"""The Plex double's media versions as the real, unpatched plexapi reads and deletes them:
Media/MediaPart/VideoStream attributes (HDR on the full item), Media.delete() refused without
allowMediaDeletion, Library.recentlyAdded() and LibrarySection.recentlyAdded()."""

from __future__ import annotations

import pytest
from plexapi.exceptions import BadRequest
from plexapi.server import PlexServer

from tests.fakes.catalog import Catalog
from tests.fakes.plex.library import KIDS, MOVIES
from tests.fakes.plex.server import PlexServerDouble
from vault.mirror.parse import versions

TOKEN = "plex-token"


@pytest.fixture(scope="module")
def double():
    plex = PlexServerDouble(Catalog(n_movies=40, n_shows=4, seed=3), token=TOKEN).start()
    yield plex
    plex.stop()


def server(double) -> PlexServer:
    return PlexServer(double.url, TOKEN)


def a_movie(double, n: int):
    return [t for t in double.library.catalog.movies if t.in_plex and t.versions == 1
            and double.rating_key_for(t.tmdb_id, library_key=MOVIES)][n]


def test_versions_and_hdr_as_plexapi_reads_them(double):
    t = a_movie(double, 0)
    key = double.rating_key_for(t.tmdb_id, library_key=MOVIES)
    media_id = double.add_version(key, "4k", "hevc", 40000, hdr="Dolby Vision",
                                  suffix=" - Remux", width=3840, height=2160)
    movie = server(double).fetchItem(key)
    assert [(m.videoResolution, m.videoCodec, m.bitrate) for m in movie.media] == [
        ("1080", "h264", 8000), ("4k", "hevc", 40000)]
    uhd = movie.media[1]
    assert uhd.id == media_id and uhd.parts[0].file.endswith(" - Remux.mkv")
    assert uhd.parts[0].size == movie.duration * 40000 // 8
    stream = uhd.parts[0].videoStreams()[0]
    assert (stream.DOVIPresent, stream.colorTrc, stream.bitDepth) == (True, "smpte2084", 10)
    assert movie.media[0].parts[0].videoStreams()[0].colorTrc == "bt709"
    # listings carry no streams (HDR unknown there), the full item does
    listing = server(double).query(f"/library/sections/{MOVIES}/all")
    el = next(e for e in listing if e.get("ratingKey") == str(key))
    assert [v["hdr"] for v in versions(el)] == [None, None]
    full = server(double).query(f"/library/metadata/{key}")[0]
    assert [v["hdr"] for v in versions(full)] == ["", "Dolby Vision"]


def test_media_delete_only_where_the_server_allows_it(double):
    t = a_movie(double, 1)
    key = double.rating_key_for(t.tmdb_id, library_key=MOVIES)
    double.add_version(key, "720", "h264", 3000)
    double.allow_media_deletion = False
    plex = server(double)
    assert plex.allowMediaDeletion is False
    with pytest.raises(BadRequest):
        plex.fetchItem(key).media[1].delete()
    assert len(double.versions_of(key)) == 2 and double.deleted_media == []
    double.allow_media_deletion = True
    plex = server(double)
    assert plex.allowMediaDeletion is True
    small = plex.fetchItem(key).media[1]
    small.delete()
    assert [v.resolution for v in double.versions_of(key)] == ["1080"]
    assert double.deleted_media == [(key, small.id)]


def test_recently_added_listings(double):
    t = a_movie(double, 2)
    key = double.add_item(KIDS, t)
    plex = server(double)
    assert plex.library.recentlyAdded()[0].ratingKey == key
    kids = plex.library.sectionByID(KIDS)
    assert kids.recentlyAdded(maxresults=5)[0].ratingKey == key
    assert server(double).query(f"/library/sections/{KIDS}/recentlyAdded")[0].get(
        "ratingKey") == str(key)


def test_duplicate_episode_is_the_same_show_season_and_number(double):
    show = next(i for i in double.library.items.values() if i.kind == "show")
    episode = double.library.items[double.library.items[show.children[0]].children[0]]
    twin = double.duplicate_episode(episode.rating_key)
    leaves = server(double).fetchItem(show.rating_key).episodes()
    same = [e for e in leaves if (e.parentIndex, e.index) == (1, 1)]
    assert sorted(e.ratingKey for e in same) == sorted([episode.rating_key, twin])
