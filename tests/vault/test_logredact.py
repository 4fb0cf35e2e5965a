"""The log filter masks the credential shapes that really appear at DEBUG (captured from
urllib3, plexapi and plex.tv answers while the Vault talked to the doubles)."""

import logging
import sys

import pytest

from immaculaterr.logredact import RedactSecrets, redact

SEEN = {
    'http://127.0.0.1:19002 "GET /3/genre/movie/list?api_key=tmdb-key&language=en-US '
    'HTTP/1.1" 200 623': "tmdb-key",
    'http://127.0.0.1:19004 "GET /customsearch/v1?key=google-key&cx=google-cx&q=imdb '
    'HTTP/1.1" 200 798': "google-key",
    "Retrying (Retry(total=0)) after connection broken by 'ReadTimeoutError': "
    "/photo/:/transcode?url=/library/metadata/1/thumb&X-Plex-Token=plex-token": "plex-token",
    '<pin id="81000001" code="abcd" authToken="plex-token"/>': "plex-token",
    '<resource name="Home" accessToken="server-token-123">': "server-token-123",
    "{'X-Api-Key': 'radarr-key', 'Accept': 'application/json'}": "radarr-key",
    '{"apiKey": "overseerr-key"}': "overseerr-key",
    "Authorization: Bearer sk-test-openai": "sk-test-openai",
    "OpenAI refused sk-live-abcdefgh1234": "abcdefgh1234",
}


@pytest.mark.parametrize("line", list(SEEN))
def test_redact_real_log_line_hides_secret(line):
    assert SEEN[line] not in redact(line)


def test_redact_plain_sentence_is_unchanged():
    line = "Reached Plex server “Home” (version 1.41.3): 3 movie/TV libraries."

    assert redact(line) == line


def test_redact_filter_masks_traceback_text():
    try:
        raise ConnectionError("Max retries exceeded with url: /3/movie/1?api_key=tmdb-key")
    except ConnectionError:
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed %s", ("x",),
                                   exc_info=sys.exc_info())

    RedactSecrets().filter(record)
    written = logging.Formatter().format(record)

    assert ("tmdb-key" in written, "api_key***" in written) == (False, True)
