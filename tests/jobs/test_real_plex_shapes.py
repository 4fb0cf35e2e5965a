"""Real Plex shapes the triggers must read (issue 9 items 1 and 6).

Sources: python-plexapi's Episode reads `grandparentKey` ("/library/metadata/<ratingKey>")
and `grandparentRatingKey` separately (plexapi/video.py), and real history rows carry only the
former; Plex's webhook article (support.plex.tv "Webhooks") shows a media.scrobble payload
whose Metadata has neither `duration` nor `viewOffset`.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from xml.etree import ElementTree as ET

import pytest

from jobs.models import JobRun
from jobs.triggers import poller
from jobs.triggers import webhook as hooks
from recommendations.datasets.watched import history_rating_keys
from vault.mirror.parse import show_rating_key
from vault.models import PlexItem

URL = "/webhooks/plex"


@pytest.mark.parametrize(("entry", "key"), [
    (SimpleNamespace(grandparentRatingKey=30, grandparentKey="/library/metadata/31"), 30),
    (SimpleNamespace(grandparentRatingKey=None, grandparentKey="/library/metadata/30"), 30),
    ({"grandparentKey": "/library/metadata/30/"}, 30),
    (ET.fromstring('<Video type="episode" grandparentKey="/library/metadata/30"/>'), 30),
    (SimpleNamespace(grandparentKey=None), None),
])
def test_show_rating_key_reads_key_or_path(entry, key):
    assert show_rating_key(entry) == key


def test_history_episode_without_grandparent_rating_key_counts_its_show():
    entries = [SimpleNamespace(type="episode", ratingKey=99, grandparentRatingKey=None,
                               grandparentKey="/library/metadata/30")]

    assert history_rating_keys(entries) == {30}


def test_poller_session_episode_without_grandparent_rating_key_seeds_show():
    root = ET.fromstring(
        '<MediaContainer><Video type="episode" ratingKey="99" sessionKey="1" '
        'grandparentKey="/library/metadata/30" librarySectionID="2" duration="3000000" '
        'viewOffset="10"><User id="1"/></Video></MediaContainer>')

    (playing,) = poller.parse_sessions(root)

    assert playing.watch.seed_key == "30"


def scrobble(**meta) -> str:
    """The documented shape: no duration, no viewOffset."""
    metadata = {"librarySectionType": "movie", "ratingKey": "101", "librarySectionID": 1,
                "type": "movie", "title": "Heat", "year": 1995} | meta
    return json.dumps({"event": "media.scrobble", "user": True, "owner": False,
                       "Account": {"id": 2, "title": "Bea"},
                       "Server": {"title": "Plex", "uuid": "abc"}, "Metadata": metadata})


def test_webhook_episode_without_grandparent_rating_key_seeds_show(people):
    watch = hooks.watch_of(json.loads(scrobble(
        type="episode", librarySectionID=2, ratingKey="900",
        grandparentKey="/library/metadata/880", grandparentTitle="The Wire")))

    assert (watch.seed_key, watch.kind) == ("880", "episode")


def test_webhook_without_duration_uses_mirror_duration_too_short(client, people):
    _, libraries = people
    PlexItem.objects.create(library=libraries["1"], rating_key=101, kind="movie",
                            title="Heat", duration_ms=30_000)

    response = client.post(f"{URL}?token={hooks.token()}", {"payload": scrobble()})

    run = JobRun.objects.get()
    assert response.status_code == 202
    assert (run.status, run.reason_code) == ("skipped", "too_short")


def test_webhook_without_duration_long_mirror_item_queues(client, people):
    _, libraries = people
    PlexItem.objects.create(library=libraries["1"], rating_key=101, kind="movie",
                            title="Heat", duration_ms=7_000_000)

    client.post(f"{URL}?token={hooks.token()}", {"payload": scrobble()})

    run = JobRun.objects.get()
    assert (run.status, run.reason_code) == ("queued", "")
