"""`python -m tests.fakes`: the control links (a viewer's session at a percentage, approving a
Sign in with Plex PIN) seen through real clients (python-plexapi, the app's session poller),
`--bind`, and the printed setup lines agreeing with the README."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from plexapi.myplex import MyPlexPinLogin
from plexapi.server import PlexServer

from jobs.triggers.poller import parse_sessions
from tests.fakes.__main__ import parse_args, setup_lines, shown, start
from tests.fakes.plex.library import KIDS, MOVIES, SHOWS
from tests.fakes.suite import start_all, start_control
from vault.clients.plextv import PlexTvSession

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def suite():
    doubles = start_all(n_movies=80, n_shows=8)
    control = start_control(doubles)
    yield doubles, control
    control.stop()
    doubles.stop()


@pytest.fixture
def doubles(suite):
    doubles, control = suite
    doubles.plex.clear_sessions()
    control.started.clear()
    return suite


def first(plex, section: int, kind: str):
    with plex.lock:
        return next(i for i in plex.library.items.values()
                    if i.section == section and i.kind == kind)


def get(control, path: str, **query) -> requests.Response:
    return requests.get(f"{control.url}{path}", params=query, timeout=5)


def test_session_link_makes_plex_list_the_viewer_at_that_percentage(doubles):
    doubles, control = doubles
    movie = first(doubles.plex, MOVIES, "movie")

    answer = get(control, "/control/session", viewer="Bea", title=movie.title.upper(),
                 percent="75")
    sessions = PlexServer(doubles.plex.url, doubles.plex.token).sessions()
    seen = parse_sessions(PlexServer(doubles.plex.url, doubles.plex.token)
                          .query("/status/sessions"))

    assert answer.status_code == 200
    assert answer.json()["message"] == (f"Bea is watching {movie.title} ({movie.year}) in "
                                        "Movies at 75%.")
    assert [(s.title, s.usernames, s.viewOffset) for s in sessions] == [
        (movie.title, ["Bea"], movie.duration_ms * 3 // 4)]
    assert [(p.watch.account_id, p.watch.title, p.rating_key, p.offset_ms / p.watch.duration_ms)
            for p in seen] == [(2, movie.title, str(movie.rating_key), 0.75)]


def test_a_show_plays_its_first_episode_and_library_picks_the_copy(doubles):
    doubles, control = doubles
    show = first(doubles.plex, SHOWS, "show")
    kids = first(doubles.plex, KIDS, "movie")

    tv = get(control, "/control/session", viewer="cy", title=show.title, percent="90").json()
    family = get(control, "/control/session", viewer="4", title=kids.title,
                 library="Kids Movies", percent="50").json()
    sessions = {s.usernames[0]: s for s in
                PlexServer(doubles.plex.url, doubles.plex.token).sessions()}

    assert tv["library"] == "TV Shows" and family["library"] == "Kids Movies"
    assert sessions["Cy"].type == "episode" and sessions["Cy"].grandparentTitle == show.title
    assert (sessions["Cy"].seasonNumber, sessions["Cy"].index) == (1, 1)
    assert sessions["Kiddo"].librarySectionID == KIDS


def test_bad_requests_say_why_and_start_nothing(doubles):
    doubles, control = doubles
    movie = first(doubles.plex, MOVIES, "movie")

    nobody = get(control, "/control/session", viewer="Zed", title=movie.title)
    too_far = get(control, "/control/session", viewer="Bea", title=movie.title, percent="150")
    words = get(control, "/control/session", viewer="Bea", title=movie.title, percent="most")
    missing = get(control, "/control/session", viewer="Bea", title="No Such Film")
    wrong_year = get(control, "/control/session", viewer="Bea", title=movie.title,
                     year=str(movie.year + 1))

    assert (nobody.status_code, too_far.status_code, words.status_code) == (404, 400, 400)
    assert "Ava Owner, Bea, Cy, Kiddo" in nobody.json()["message"]
    assert too_far.json()["message"] == "percent is a number from 0 to 100."
    assert (missing.status_code, wrong_year.status_code) == (404, 404)
    assert "“No Such Film”" in missing.text  # UTF-8 JSON, not \u escapes
    assert PlexServer(doubles.plex.url, doubles.plex.token).sessions() == []


def test_end_link_stops_only_that_viewers_session(doubles):
    doubles, control = doubles
    movie = first(doubles.plex, MOVIES, "movie")
    get(control, "/control/session", viewer="Bea", title=movie.title, percent="20")
    get(control, "/control/session", viewer="Cy", title=movie.title, percent="30")

    ended = get(control, "/control/session/end", viewer="Bea").json()
    left = [s.usernames for s in PlexServer(doubles.plex.url, doubles.plex.token).sessions()]
    everyone = get(control, "/control/session/end").json()

    assert ended["message"] == "Bea stopped watching (1 session)."
    assert left == [["Cy"]]
    assert everyone["message"] == "Everyone stopped watching (1 session)."
    assert PlexServer(doubles.plex.url, doubles.plex.token).sessions() == []


def test_pin_link_approves_the_waiting_sign_in():
    doubles = start_all(n_movies=20, n_shows=2)
    control = start_control(doubles)
    try:
        nothing_waiting = get(control, "/control/pin")
        login = MyPlexPinLogin(oauth=True, session=PlexTvSession(doubles.plextv.url))
        login.oauthUrl()
        waiting = login.checkLogin()

        approved = get(control, "/control/pin")
        done = login.checkLogin()
        again = get(control, "/control/pin").json()["message"]
    finally:
        control.stop()
        doubles.stop()

    assert nothing_waiting.status_code == 404
    assert "press Sign in with Plex in the Vault first" in nothing_waiting.json()["message"]
    assert approved.status_code == 200 and str(approved.json()["pin_id"]) == login._id
    assert (waiting, done, login.token) == (False, True, doubles.plextv.token)
    assert again.endswith("was already approved.")


def test_bind_defaults_to_loopback_and_refuses_a_non_address():
    assert parse_args([]).bind == "127.0.0.1"
    assert parse_args(["--bind", "0.0.0.0"]).bind == "0.0.0.0"
    with pytest.raises(SystemExit):
        parse_args(["--bind", "localhost:80"])


def test_bind_puts_every_double_and_the_control_links_on_that_address():
    args = parse_args(["--bind", "127.0.0.2", "--movies", "30", "--shows", "4"])
    doubles, control = start(args)
    try:
        servers = [*doubles.servers().values(), control]
        hosts = {s._httpd.server_address[0] for s in servers}
        port = doubles.tmdb._httpd.server_address[1]
        answered = requests.get(f"{doubles.tmdb.url}/3/configuration",
                                params={"api_key": doubles.tmdb.api_key}, timeout=5)
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/3/configuration", timeout=5)
    finally:
        control.stop()
        doubles.stop()

    assert hosts == {"127.0.0.2"}
    assert answered.status_code == 200
    assert shown("http://0.0.0.0:18000", "0.0.0.0") == "http://127.0.0.1:18000"


def test_printed_exports_are_the_readme_ones(suite):
    doubles, _ = suite
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Trying it without a Plex server", 1)[1].split("\n## ", 1)[0]
    lines = setup_lines(doubles.credentials())

    def exported(text: str) -> set[str]:
        return {name for line in text.splitlines() if line.startswith("export ")
                for name in re.findall(r"(\w+)=", line)}

    assert exported("\n".join(lines)) == exported(section) - {"APP_DATA_DIR"}
    assert {"PLEX_TV_URL", "TMDB_BASE_URL", "GOOGLE_SEARCH_URL"} <= exported(section)
    assert "python -m tests.fakes" in section and "/control/session?viewer=" in section
    assert "/control/pin" in section


def test_main_prints_setup_and_working_control_links():
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes", "--bind", "127.0.0.3", "--movies", "30",
         "--shows", "4"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    printed = []
    try:
        for line in process.stdout:
            printed.append(line)
            if line.startswith("Serving"):
                break
        text = "".join(printed)
        session_url = re.search(r"start a viewer's session: (\S+)", text)[1]
        pin_url = re.search(r"approve Sign in with Plex: (\S+)", text)[1]
        plex_url = re.search(r"vault set plex url=(\S+)", text)[1]
        title = first_movie_title(plex_url)
        started = requests.get(re.sub(r"title=[^&]+", f"title={title}", session_url), timeout=5)
        pin = requests.get(pin_url, timeout=5)
    finally:
        process.send_signal(signal.SIGINT)
        rest = process.communicate(timeout=20)[0]

    assert "export TMDB_BASE_URL=http://127.0.0.3:" in text
    assert "export PLEX_TV_URL=http://127.0.0.3:" in text
    assert session_url.startswith("http://127.0.0.3:") and "percent=75" in session_url
    assert started.status_code == 200 and started.json()["viewer"] == "Bea"
    assert pin.status_code == 404  # nothing is waiting yet, and it says so
    assert "Stopped." in rest and process.returncode == 0


def first_movie_title(plex_url: str) -> str:
    server = PlexServer(plex_url, "plex-token")
    return server.library.sectionByID(MOVIES).all()[0].title
