"""Must-show 5 across a real restart: a poster the web process fetched once is served from the
disk cache by a new Python process (no TMDB image request), which fetches only a size it has
never seen; with TMDB down it draws the card."""

from __future__ import annotations

import subprocess
import sys

import pytest

from observatory import posters
from tests.core.procs import ROOT
from tests.jobs import procs
from tests.observatory.test_posters import IMAGES, seed, url

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
SERVE = """
import django; django.setup()
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from observatory.posters import poster
for width in {widths!r}:
    request = RequestFactory().get("{path}", {{"w": width}})
    request.user = AnonymousUser()
    answer = poster(request, "movie", {tmdb_id})
    print(answer["Content-Type"], len(answer.content))
"""


def another_process(settings, tmdb_id: int, widths: list[int]) -> list[str]:
    code = SERVE.format(widths=widths, path=url("movie", tmdb_id), tmdb_id=tmdb_id)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60,
                          env=procs.env(TMDB_BASE_URL=settings.TMDB_BASE_URL))
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split("\n")[:-1]


def test_poster_fetched_once_is_served_by_a_new_process_from_disk(admin_client, settings,
                                                                  configured_vault, tmp_path):
    tmdb = configured_vault.tmdb
    settings.DATA_DIR = tmp_path
    posters.clear_memory()
    movie = tmdb.catalog.titles("movie")[0]
    seed(movie.tmdb_id, movie.poster_path)
    first = admin_client.get(url("movie", movie.tmdb_id))
    assert (first["Content-Type"], tmdb.count("GET", IMAGES)) == ("image/jpeg", 1)

    lines = another_process(settings, movie.tmdb_id, [342, 342, 154])

    assert lines == [f"image/jpeg {len(first.content)}"] * 2 + [lines[2]]
    assert lines[2].startswith("image/jpeg ")
    assert tmdb.count("GET", IMAGES) == 2  # only the size it had never seen
    assert tmdb.count("GET", r"^/t/p/w154/") == 1

    tmdb.fault(status=503, count=None)
    assert another_process(settings, movie.tmdb_id, [500])[0].startswith("image/png ")
    assert tmdb.count("GET", IMAGES) == 2  # TMDB down: it drew the card
