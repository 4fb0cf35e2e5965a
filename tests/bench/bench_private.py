"""Private rows: plex.tv share-filter writes per sweep of the matrix (issue 17, must-show 5).

    python -m tests.bench --only private_rows

n shared viewers (20; --small: 3), each with a share on plex.tv, the owner with none, and one
more shared account not monitored yet. Private rows are turned on (the first sweep writes every
share), then:

  private_rows_filter_writes_nochange    a sweep with nothing changed (target 0)
  private_rows_filter_writes_new_viewer  the extra account monitored: one viewer added to n
                                         existing (target <= n: each existing share gains one
                                         exclusion; the new viewer's share already excluded
                                         every other row while they were not monitored)
  private_rows_filter_writes_new_share   then a viewer whose share is new on plex.tv too: each
                                         of the n + 1 shares gains one exclusion and the new
                                         share's own filter is written once (n + 2)
  private_rows_first_sweep_writes        the first sweep (one write per share, movies and TV
                                         together)
"""

from __future__ import annotations

from tests.bench import benchmark


@benchmark("private_rows")
def run(small: bool) -> dict:
    from django.conf import settings

    from recommendations.rows import shares
    from tests.fakes.catalog import Catalog
    from tests.fakes.plex.accounts import Account
    from tests.fakes.plex.plextv import PlexTvDouble
    from tests.fakes.plex.server import PlexServerDouble
    from vault import integrations
    from vault.models import PlexViewer

    n = 3 if small else 20
    plex = PlexServerDouble(Catalog(n_movies=20, n_shows=4, seed=17)).start()
    plextv = PlexTvDouble(plex).start()
    try:
        settings.PLEX_TV_URL, settings.VAULT_HTTP_RETRIES = plextv.url, 0
        integrations.save("plex", True, {"url": plex.url, "token": plex.token})
        PlexViewer.objects.create(account_id=1, name="Owner", is_owner=True, kind="owner",
                                  plextv_id=7184221)
        plextv.accounts = []
        plextv.filters = {}
        for i in range(n + 1):
            account = Account(100 + i, f"Viewer {i}", f"v{i}", f"v{i}@example.com", "shared",
                              "TV")
            plextv.add_account(account)
            plextv.set_filter(account.id, "filterMovies", "contentRating!=R")
            PlexViewer.objects.create(account_id=account.id, name=account.title,
                                      plextv_id=account.id, monitored=i < n)
        shares.turn_on(None)
        first = plextv.filter_writes()

        def writes_of(step) -> int:
            before = plextv.filter_writes()
            result = step()
            assert not result.errors, result.errors
            return plextv.filter_writes() - before

        nochange = writes_of(shares.sweep)
        PlexViewer.objects.filter(account_id=100 + n).update(monitored=True)
        new_viewer = writes_of(shares.sweep)
        late = Account(500, "Late", "late", "late@example.com", "shared", "TV")
        plextv.add_account(late)
        PlexViewer.objects.create(account_id=late.id, name=late.title, plextv_id=late.id)
        new_share = writes_of(shares.sweep)
    finally:
        plex.stop()
        plextv.stop()
    return {"private_rows_filter_writes_nochange": nochange,
            "private_rows_filter_writes_new_viewer": new_viewer,
            "private_rows_filter_writes_new_share": new_share,
            "private_rows_first_sweep_writes": first, "private_rows_viewers_n": n}
