"""The index reads each listing page as a stream (vault.clients.plex.listing): every element
arrives whole, the page is never held whole, and a failed or broken answer is a typed error
the index reports with nothing half-written (issue 16: the worker's memory during an index)."""

from xml.etree.ElementTree import tostring

import pytest

from vault.clients import factory
from vault.clients import plex as plex_client
from vault.clients.errors import BadResponseError, ServiceError, translate
from vault.mirror import reader
from vault.models import PlexItem, PlexLibrary

pytestmark = pytest.mark.django_db
PATH = "/library/sections/1/all?type=1&includeGuids=1"


def test_listing_yields_whole_elements_and_keeps_no_page_in_its_tree(configured_vault,
                                                                      monkeypatch):
    monkeypatch.setattr(plex_client, "STREAM_CHUNK", 1024)
    server = factory.plex_server()
    whole = {el.get("ratingKey"): tostring(el) for el in server.query(PATH)
             if el.get("ratingKey")}
    stream = plex_client.listing(server, PATH)
    container = next(stream)
    held, got = [], {}
    for element in stream:
        held.append(len(container))  # the page's elements still in the tree at this moment
        if element.get("ratingKey"):
            got[element.get("ratingKey")] = tostring(element)  # children and all

    assert got == whole and len(got) > 20
    assert list(got) == list(whole)  # in Plex's order
    assert container.get("size") == str(len(whole))
    assert max(held) <= 3, held  # one 1 KB piece's worth, never the page


@pytest.mark.parametrize("status", [401, 404, 500])
def test_a_refused_listing_is_the_typed_error_server_query_gives(configured_vault, status):
    server = factory.plex_server()
    configured_vault.plex.fault(status=status, path=r"/library/sections/1/all", count=None)
    with pytest.raises(ServiceError) as streamed:
        list(plex_client.listing(server, PATH))
    with pytest.raises(ServiceError) as queried, translate("plex"):
        server.query(PATH)

    assert type(streamed.value) is type(queried.value)
    assert str(streamed.value) == str(queried.value)
    assert configured_vault.plex.token not in str(streamed.value)


@pytest.mark.parametrize("body", [b"", b"<MediaContainer size='2'><Video ratingKey='1'"])
def test_an_empty_or_cut_answer_is_a_typed_error_and_the_index_keeps_what_it_had(
        configured_vault, body):
    server = factory.plex_server()
    reader.sync_libraries(server)
    library = PlexLibrary.objects.get(key="1")
    reader.index_library(server, library, full=True)
    before = set(PlexItem.objects.filter(library=library).values_list("rating_key", flat=True))
    configured_vault.plex.fault(status=200, body=body, path=r"/library/sections/1/all")

    with pytest.raises(BadResponseError):
        reader.index_library(server, library, full=True)

    after = set(PlexItem.objects.filter(library=library).values_list("rating_key", flat=True))
    assert after == before and before
