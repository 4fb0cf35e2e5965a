"""The poster proxy: one TMDB image fetch per poster and size ever (the disk cache outlives the
process), a drawn card when TMDB has no poster or is down, a size cap that evicts."""

from __future__ import annotations

import io
import os
import stat
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from observatory import posters
from recommendations.models import ImmaculateTasteTitle
from tests.browser import browser_page, sign_in
from tests.jobs.factories import libraries, viewers
from vault.clients.tmdb import TmdbClient

pytestmark = [pytest.mark.services, pytest.mark.django_db]
IMAGES = r"^/t/p/"


@pytest.fixture
def tmdb(configured_vault, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    posters.clear_memory()
    yield configured_vault.tmdb
    posters.clear_memory()


@pytest.fixture
def movie(tmdb):
    return tmdb.catalog.titles("movie")[0]


def url(kind: str, tmdb_id: int, **query) -> str:
    path = reverse("observatory:poster", args=[kind, tmdb_id])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def size_of(response) -> tuple[str, tuple[int, int]]:
    with Image.open(io.BytesIO(response.content)) as image:
        return image.format, image.size


def seed(tmdb_id: int, poster_path: str, title: str = "The Velvet Mirror"):
    people, libs = viewers(), libraries()
    now = timezone.now()
    return ImmaculateTasteTitle.objects.create(
        viewer=people["bea"], library=libs["1"], media_type="movie", tmdb_id=tmdb_id,
        title=title, poster_path=poster_path, first_suggested_at=now, last_suggested_at=now)


def test_poster_twice_and_after_a_restart_fetches_tmdb_once(admin_client, tmdb, movie):
    first = admin_client.get(url("movie", movie.tmdb_id))
    second = admin_client.get(url("movie", movie.tmdb_id))
    posters.clear_memory()
    third = admin_client.get(url("movie", movie.tmdb_id))

    assert tmdb.count("GET", IMAGES) == 1
    assert first["Content-Type"] == "image/jpeg"
    assert size_of(first) == ("JPEG", (342, 513))
    assert first.content == second.content == third.content
    assert "max-age=31536000" in first["Cache-Control"]
    assert first["ETag"] == third["ETag"]


def test_poster_files_are_private_to_the_app(admin_client, tmdb, movie, settings):
    admin_client.get(url("movie", movie.tmdb_id))

    folder = settings.DATA_DIR / "posters"
    files = list(folder.glob("*.jpg"))
    assert [f.name for f in files] == [f"movie-{movie.tmdb_id}-w342.jpg"]
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_poster_second_size_fetches_once_more(admin_client, tmdb, movie):
    admin_client.get(url("movie", movie.tmdb_id))
    small = admin_client.get(url("movie", movie.tmdb_id, w=154))
    admin_client.get(url("movie", movie.tmdb_id, w=154))
    odd = admin_client.get(url("movie", movie.tmdb_id, w="99999999999"))

    assert tmdb.count("GET", IMAGES) == 2
    assert tmdb.count("GET", r"^/t/p/w154/") == 1
    assert size_of(small) == ("JPEG", (154, 231))
    assert size_of(odd) == ("JPEG", (342, 513))  # an unknown width is the card size


def test_poster_etag_answers_not_modified(admin_client, tmdb, movie):
    first = admin_client.get(url("movie", movie.tmdb_id))
    again = admin_client.get(url("movie", movie.tmdb_id), headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert again.content == b""


def test_poster_tmdb_down_draws_then_fetches_when_back(admin_client, tmdb, movie):
    tmdb.fault(status=503, count=None)
    down = admin_client.get(url("movie", movie.tmdb_id))
    tmdb.clear()
    back = admin_client.get(url("movie", movie.tmdb_id))

    assert down.status_code == 200
    assert down["Content-Type"] == "image/png"
    assert size_of(down) == ("PNG", (342, 513))
    assert "max-age=60" in down["Cache-Control"]
    assert back["Content-Type"] == "image/jpeg"
    assert tmdb.count("GET", IMAGES) == 1


def test_poster_tmdb_down_or_not_connected_still_names_the_title(admin_client, tmdb, movie):
    from vault import integrations

    seed(movie.tmdb_id, movie.poster_path, title="Quiet Harbour")
    tmdb.fault(status=503, count=None)
    down = admin_client.get(url("movie", movie.tmdb_id))
    tmdb.clear()
    integrations.save("tmdb", False, {"api_key": tmdb.api_key})  # switched off in the Vault
    off = admin_client.get(url("movie", movie.tmdb_id, w=154))

    assert down.content == posters.fallback("Quiet Harbour", movie.tmdb_id, 342)
    assert off.content == posters.fallback("Quiet Harbour", movie.tmdb_id, 154)
    assert tmdb.count("GET", IMAGES) == 0


def test_poster_slow_tmdb_draws_the_card(admin_client, tmdb, movie, monkeypatch):
    monkeypatch.setattr(posters, "WAIT", 0.3)
    seed(movie.tmdb_id, movie.poster_path)
    tmdb.fault(path=IMAGES, delay=1.0, count=None)

    slow = admin_client.get(url("movie", movie.tmdb_id))

    assert slow["Content-Type"] == "image/png"


def test_poster_without_poster_path_draws_initials(admin_client, tmdb):
    seed(4242, "", title="Quiet Harbour")

    response = admin_client.get(url("movie", 4242))

    assert response["Content-Type"] == "image/png"
    assert posters.initials("Quiet Harbour") == "QH"
    assert posters.initials("The Velvet Mirror") == "VM"
    assert posters.initials("") == "?"
    assert response.content == posters.fallback("Quiet Harbour", 4242, 342)
    assert tmdb.count("GET", IMAGES) == 0


def test_poster_dataset_path_is_used_without_tmdb_details(admin_client, tmdb, movie):
    seed(movie.tmdb_id, movie.poster_path)

    response = admin_client.get(url("movie", movie.tmdb_id))

    assert response["Content-Type"] == "image/jpeg"
    assert tmdb.count("GET", rf"^/3/movie/{movie.tmdb_id}") == 0
    assert tmdb.count("GET", IMAGES) == 1


def test_poster_tv_kind_is_served(admin_client, tmdb):
    show = tmdb.catalog.titles("show")[0]

    response = admin_client.get(url("tv", show.tmdb_id))

    assert response["Content-Type"] == "image/jpeg"
    assert tmdb.count("GET", rf"^/3/tv/{show.tmdb_id}") == 1


def test_poster_bad_kind_is_404(admin_client, tmdb, movie):
    response = admin_client.get(url("show", movie.tmdb_id))

    assert response.status_code == 404
    assert tmdb.count() == 0


def test_poster_anonymous_is_sent_to_login(client, admin_user, tmdb, movie):
    response = client.get(url("movie", movie.tmdb_id))

    assert response.status_code == 302
    assert "/login" in response["Location"]
    assert tmdb.count("GET", IMAGES) == 0


def test_poster_cache_cap_evicts_the_oldest(admin_client, tmdb, settings):
    a, b, c = tmdb.catalog.titles("movie")[:3]
    admin_client.get(url("movie", a.tmdb_id))
    one = (settings.DATA_DIR / "posters" / f"movie-{a.tmdb_id}-w342.jpg").stat().st_size
    settings.POSTER_CACHE_MAX_MB = one * 2.5 / 1024 / 1024
    admin_client.get(url("movie", b.tmdb_id))
    admin_client.get(url("movie", c.tmdb_id))

    names = sorted(p.name for p in (settings.DATA_DIR / "posters").glob("*.jpg"))
    assert names == sorted([f"movie-{b.tmdb_id}-w342.jpg", f"movie-{c.tmdb_id}-w342.jpg"])


def test_poster_refuses_a_huge_image_header():
    out = io.BytesIO()
    Image.new("1", (7000, 7000)).save(out, "PNG")

    with pytest.raises(posters.Refused):
        posters.resize(out.getvalue(), 342)


def test_poster_asked_twice_at_once_fetches_once(rf, admin_user, tmdb, movie, monkeypatch):
    key = tmdb.api_key
    monkeypatch.setattr(posters.factory, "tmdb", lambda: TmdbClient(key))
    monkeypatch.setattr(posters, "_known", lambda *a: (movie.poster_path, movie.title))
    tmdb.fault(path=IMAGES, delay=0.5, count=1)
    request = rf.get(url("movie", movie.tmdb_id))
    request.user = admin_user

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: posters.poster(request, "movie", movie.tmdb_id),
                                range(2)))

    assert [a["Content-Type"] for a in answers] == ["image/jpeg", "image/jpeg"]
    assert tmdb.count("GET", IMAGES) == 1


def test_poster_shown_again_is_evicted_last(admin_client, tmdb, settings):
    a, b, c = tmdb.catalog.titles("movie")[3:6]
    folder = settings.DATA_DIR / "posters"
    admin_client.get(url("movie", a.tmdb_id))
    admin_client.get(url("movie", b.tmdb_id))
    first = folder / f"movie-{a.tmdb_id}-w342.jpg"
    os.utime(first, (1, 1))
    os.utime(folder / f"movie-{b.tmdb_id}-w342.jpg", (2, 2))
    admin_client.get(url("movie", a.tmdb_id))  # shown again: now the newest
    settings.POSTER_CACHE_MAX_MB = first.stat().st_size * 2.5 / 1024 / 1024
    admin_client.get(url("movie", c.tmdb_id))

    names = sorted(p.name for p in folder.glob("*.jpg"))
    assert names == sorted([f"movie-{a.tmdb_id}-w342.jpg", f"movie-{c.tmdb_id}-w342.jpg"])


@pytest.mark.django_db(transaction=True)
def test_browser_poster_comes_from_our_host_only(live_server, chromium_path, admin_user, tmdb,
                                                 movie):
    with browser_page(chromium_path) as page:
        hosts = set()
        page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/observatory/rejected")
        with page.expect_response(lambda r: "/observatory/poster/" in r.url) as shown:
            size = page.evaluate("""async src => {
                const img = new Image(); img.src = src; await img.decode();
                return [img.naturalWidth, img.naturalHeight];
            }""", url("movie", movie.tmdb_id))
        kind, errors = shown.value.headers["content-type"], list(page.errors)

    assert hosts == {urlsplit(live_server.url).netloc}
    assert (kind, size) == ("image/jpeg", [342, 513])
    assert tmdb.count("GET", IMAGES) == 1
    assert errors == []
