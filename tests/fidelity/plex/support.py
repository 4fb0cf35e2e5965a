"""What the Plex fidelity tests share besides fixtures: the token, plexapi's plex.tv session
and a few pickers."""

import importlib
import os

import django
from django.apps import apps

if not apps.ready:  # run with `-p no:django`: importing vault.clients needs the app registry
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
PlexTvSession = importlib.import_module("vault.clients.plextv").PlexTvSession

TOKEN = "plex-token"


def pick(items, n=3):
    """A few movies with the new agent, by rating key."""
    return [i for i in items if i.guid.startswith("plex://")][10:10 + n]


def tmdb_id(item):
    return next((int(g.id[7:]) for g in item.guids if g.id.startswith("tmdb://")), None)


def expected_pages(total, size=100):
    return total // size + 1  # plexapi asks once more when total is a multiple of size
