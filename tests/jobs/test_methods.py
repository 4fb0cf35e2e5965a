"""Pages that only show things answer 405 to a POST (they ignored it and rendered before)."""

from __future__ import annotations

import pytest

from jobs.dispatch import dispatch

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/tasks", "/rewind", "/logs", "/rewind/{pk}",
                                  "/runs/{pk}/progress"])
def test_read_only_pages_refuse_post_and_still_show_on_get(admin_client, path):
    run = dispatch("immaculate_taste", enqueue_now=False)
    url = path.format(pk=run.pk)

    posted, shown = admin_client.post(url), admin_client.get(url)

    assert (posted.status_code, shown.status_code) == (405, 200)
    assert posted["Allow"] == "GET, HEAD"
