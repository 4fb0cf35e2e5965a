import pytest
from django.urls import reverse

from vault.clients import factory
from vault.mirror import lookup, reader
from vault.models import PlexItem, PlexLibrary, PlexViewer

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def server(configured_vault):
    return factory.plex_server()


@pytest.fixture
def indexed(configured_vault, server):
    reader.refresh(server)
    configured_vault.plex.clear()
    return configured_vault


def test_refresh_first_run_indexes_every_selected_library(configured_vault, server):
    result = reader.refresh(server)

    plex = configured_vault.plex
    counts = {lib["library"]: lib["items"] for lib in result["libraries"]}
    assert counts == {str(k): len(s.top) for k, s in plex.library.sections.items()}
    assert {lib["mode"] for lib in result["libraries"]} == {"full"}
    assert plex.count("GET", r"/library/metadata") == 0


def test_index_new_and_legacy_guids_give_ids(indexed):
    catalog = indexed.catalog
    legacy = next(t for t in catalog.movies if t.legacy_agent and t.in_plex)
    modern = next(t for t in catalog.movies if t.in_plex and not t.legacy_agent)

    old = PlexItem.objects.get(library__key="1", imdb_id=legacy.imdb_id)
    new = PlexItem.objects.get(library__key="1", tmdb_id=modern.tmdb_id)

    assert (old.guid.startswith("com.plexapp.agents.imdb://"), old.tmdb_id) == (True, None)
    assert (new.imdb_id, new.year, new.duration_ms) == (
        modern.imdb_id, modern.year, modern.runtime_minutes * 60_000)


def test_index_keeps_media_versions(indexed):
    two = PlexItem.objects.filter(versions__1__isnull=False).first()

    assert [v["resolution"] for v in two.versions] == ["1080", "4k"]
    assert all(v["size"] > 0 and v["file"].endswith(".mkv") for v in two.versions)


def test_index_show_library_has_tvdb_ids(indexed):
    show = next(t for t in indexed.catalog.shows if t.in_plex)

    item = PlexItem.objects.get(library__key="2", tvdb_id=show.tvdb_id)

    assert (item.kind, item.tmdb_id) == ("show", show.tmdb_id)


def test_refresh_nothing_changed_costs_one_request(indexed, server):
    result = reader.refresh(server)

    assert {lib["mode"] for lib in result["libraries"]} == {"unchanged"}
    assert indexed.plex.count() == 1


def test_refresh_added_item_is_fetched_incrementally(indexed, server):
    title = next(t for t in indexed.catalog.movies if not t.in_plex and not t.upcoming)
    key = indexed.plex.add_item(1, title)

    result = reader.refresh(server)

    movies = next(lib for lib in result["libraries"] if lib["library"] == "1")
    # one listing of items updated since the last sync (it overlaps by a second) + one count
    assert (movies["mode"], movies["requests"], movies["fetched"] <= 2) == (
        "incremental", 2, True)
    assert lookup.rating_keys_for("1", [title.tmdb_id]) == {title.tmdb_id: key}


def test_refresh_removed_item_is_dropped(indexed, server):
    gone = PlexItem.objects.filter(library__key="1").first()
    indexed.plex.remove_item(gone.rating_key)

    reader.refresh(server)

    assert not PlexItem.objects.filter(pk=gone.pk).exists()
    assert PlexLibrary.objects.get(key="1").item_count == len(
        indexed.plex.library.sections[1].top)


def test_rating_keys_for_legacy_item_found_by_imdb_id(indexed):
    legacy = next(t for t in indexed.catalog.movies if t.legacy_agent and t.in_plex)
    key = PlexItem.objects.get(library__key="1", imdb_id=legacy.imdb_id).rating_key

    by_tmdb = lookup.rating_keys_for("1", [legacy.tmdb_id])
    by_both = lookup.rating_keys_for("1", [legacy.tmdb_id],
                                        imdb_ids={legacy.tmdb_id: legacy.imdb_id})

    assert (by_tmdb, by_both) == ({}, {legacy.tmdb_id: key})
    assert lookup.rating_keys_for_imdb("1", [legacy.imdb_id]) == {legacy.imdb_id: key}
    assert indexed.plex.count() == 0


def test_rating_keys_for_imdb_ignores_items_matched_by_tmdb(indexed):
    modern = next(t for t in indexed.catalog.movies if t.in_plex and not t.legacy_agent)

    found = lookup.rating_keys_for_imdb("1", [modern.imdb_id])

    assert found == {}
    assert lookup.has_imdb_only_items("1") is True


def test_rating_keys_for_costs_no_plex_request(indexed):
    ids = [t.tmdb_id for t in indexed.catalog.movies if t.in_plex][:100]

    found = lookup.rating_keys_for("1", ids)

    assert found and indexed.plex.count() == 0
    assert all(indexed.plex.rating_key_for(t, "movie", 1) == rk for t, rk in found.items())


def test_sync_viewers_kinds_and_monitored_default(indexed):
    viewers = {v.account_id: (v.name, v.kind, v.is_owner, v.monitored)
               for v in PlexViewer.objects.all()}

    assert viewers == {1: ("Ava Owner", "owner", True, True),
                       2: ("Bea", "shared", False, True), 3: ("Cy", "shared", False, True),
                       4: ("Kiddo", "managed", False, True)}


def test_sync_libraries_keeps_selection_and_adds_new_selected(indexed, server):
    PlexLibrary.objects.filter(key="3").update(selected=False)

    reader.sync_libraries(server)

    assert list(reader.selected_libraries("movie").values_list("key", flat=True)) == ["1"]


def test_cc_libraries_owner_excludes_a_library(admin_client, indexed):
    keep = PlexLibrary.objects.exclude(key="3").values_list("pk", flat=True)

    response = admin_client.post(reverse("vault:cc_libraries"), {"selected": list(keep)}, **HX)

    assert "Saved." in response.content.decode()
    assert set(PlexLibrary.objects.filter(selected=True).values_list("key", flat=True)) == {
        "1", "2"}


def test_cc_libraries_none_selected_is_refused(admin_client, indexed):
    response = admin_client.post(reverse("vault:cc_libraries"), {}, **HX)

    assert "Keep at least one library selected." in response.content.decode()
    assert PlexLibrary.objects.filter(selected=True).count() == 3


def test_cc_viewers_owner_unmonitors_a_viewer(admin_client, indexed):
    keep = PlexViewer.objects.exclude(name="Kiddo").values_list("pk", flat=True)

    admin_client.post(reverse("vault:cc_viewers"), {"monitored": list(keep)}, **HX)

    assert list(PlexViewer.objects.filter(monitored=False).values_list("name", flat=True)) \
        == ["Kiddo"]


@pytest.mark.parametrize("name", ["vault:cc_libraries", "vault:cc_viewers"])
def test_cc_sections_anonymous_is_redirected(client, admin_user, name):
    response = client.get(reverse(name))

    assert response.status_code == 302 and response["Location"].startswith("/login")


def test_cc_plex_sync_reads_libraries_and_viewers(admin_client, configured_vault):
    response = admin_client.post(reverse("vault:plex_sync"), {"next": "vault:cc_viewers"})

    assert response["Location"] == reverse("vault:cc_viewers")
    assert (PlexLibrary.objects.count(), PlexViewer.objects.count()) == (3, 4)


