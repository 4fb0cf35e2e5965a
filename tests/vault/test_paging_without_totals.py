"""Pagers read until a short page when Plex sends no totalSize (issue 9 item 4)."""

import pytest

from vault.clients import collections as plex_collections
from vault.clients import factory
from vault.mirror import reader
from vault.models import PlexLibrary

pytestmark = pytest.mark.django_db


@pytest.fixture
def configured_vault(configured_vault):
    """The shared (session) Plex double, answering without totalSize for this test only."""
    configured_vault.plex.omit_totals = True
    yield configured_vault
    configured_vault.plex.omit_totals = False


def test_index_reads_every_page_without_total_size(configured_vault, monkeypatch):
    plex = configured_vault.plex
    monkeypatch.setattr(reader, "PAGE_SIZE", 7)
    server = factory.plex_server()
    reader.sync_libraries(server)
    library = PlexLibrary.objects.get(key="1")

    stats = reader.index_library(server, library)

    assert stats["items"] == len(plex.library.sections[1].top) > 7


def test_rows_read_all_reads_every_page_without_total_size(configured_vault, monkeypatch):
    plex = configured_vault.plex
    monkeypatch.setattr(plex_collections, "PAGE", 7)
    section = plex.library.sections[1]

    found = plex_collections.PlexRows(factory.plex_server(), 1, "movie")._read_all(
        "read", "/library/sections/1/all?type=1")

    assert len(found) == len(section.top) > 7
