"""A busy server for the scale benches and tests (issue 16): 50 viewers (the owner and 49
shared), two libraries (20,000 movies; 2,000 shows with their seasons and episodes), each
viewer with watch history in the Plex double and datasets of realistic size in our database.

    scale = build_scale(small=False)   # Django set up, database migrated, empty
    ...                                # scale.plex, scale.plextv, scale.viewers, scale.libraries
    scale.stop()

Fast by construction: the double's history rows are put straight into its in-memory records
(no HTTP), our dataset rows go in with bulk_create, and the mirror is indexed once through the
real reader (vault.mirror.reader, ~25 Plex requests), so later syncs are incremental.

The double's accounts follow the server's `/accounts` listing that plexapi's
`PlexServer.systemAccounts()` reads (python-plexapi server.py, `SystemAccount`: id and name);
the owner is always account 1, as on a real server (tests/fakes/plex/accounts.py). Accounts 2-4
are the double's own (Bea, Cy, Kiddo: Kiddo is managed and left unmonitored); the rest are
extra shared friends named "Friend 05" … "Friend 50".
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from tests.fakes.base import Request, route
from tests.fakes.catalog import Catalog
from tests.fakes.plex.accounts import ACCOUNTS, BY_ID, Account
from tests.fakes.plex.activity import HistoryRow
from tests.fakes.plex.server import PlexServerDouble
from tests.fakes.plex.xml import container, sub, xml_response

VIEWERS, SMALL_VIEWERS = 50, 8
MOVIES, SMALL_MOVIES = 20_000, 400
SHOWS, SMALL_SHOWS = 2_000, 40
IMMACULATE_MAX, SMALL_IMMACULATE_MAX = 1_250, 60
IN_PLEX_SHARE = 0.552  # the catalog puts ~55% of its titles in Plex (released, 60% of them)
HISTORY_PER_VIEWER = (20, 400)  # finished plays per viewer, spread over two years
LATEST_PER_LIST = 15  # the collection limit's default


def extra_accounts(n: int) -> tuple[Account, ...]:
    return ACCOUNTS + tuple(
        Account(i, f"Friend {i:02d}", f"friend{i:02d}", f"friend{i:02d}@example.com", "shared",
                f"Friend {i:02d}'s TV") for i in range(len(ACCOUNTS) + 1, n + 2))


class ScalePlexDouble(PlexServerDouble):
    """The Plex double with more shared accounts (same routes, same shapes)."""

    def __init__(self, catalog: Catalog, accounts: tuple[Account, ...], **kwargs):
        self.accounts = {a.id: a for a in accounts}
        super().__init__(catalog, **kwargs)

    @route("GET", r"/accounts/?")
    def _accounts(self, req: Request):
        root = container(size=len(self.accounts) + 1, identifier="com.plexapp.system.accounts")
        sub(root, "Account", id=0, key="/accounts/0", name="", defaultAudioLanguage="en",
            autoSelectAudio=1, defaultSubtitleLanguage="en", subtitleMode=0, thumb="")
        for a in self.accounts.values():
            sub(root, "Account", id=a.id, key=f"/accounts/{a.id}", name=a.title,
                defaultAudioLanguage="en", autoSelectAudio=1, defaultSubtitleLanguage="en",
                subtitleMode=0, thumb=f"https://plex.tv/users/{a.plextv_id:x}/avatar")
        return xml_response(root)

    def set_session(self, account_id: int, rating_key: int, view_offset_ms: int,
                    state: str = "playing") -> int:
        if int(account_id) in self.accounts and int(account_id) not in BY_ID:
            BY_ID.setdefault(int(account_id), self.accounts[int(account_id)])
        return super().set_session(account_id, rating_key, view_offset_ms, state)

    def bulk_history(self, rows: list[tuple[int, int, int]]) -> None:
        """(account id, rating key, viewed at) plays, straight into the records."""
        with self.lock:
            for account_id, rating_key, viewed_at in rows:
                item = self.library.items[rating_key]
                self._history.append(HistoryRow(self._next_history, account_id, rating_key,
                                                viewed_at, item.section))
                self._next_history += 1


@dataclass
class Scale:
    catalog: Catalog
    plex: ScalePlexDouble
    plextv: object
    viewers: list
    libraries: list
    small: bool

    def stop(self) -> None:
        self.plextv.stop()
        self.plex.stop()

    @property
    def pairs(self) -> int:
        return len([v for v in self.viewers if v.monitored]) * len(self.libraries)


def build_scale(small: bool = False, seed: int = 16, connect: bool = True,
                viewers: int | None = None) -> Scale:
    """The doubles started, Plex connected in the vault (unless `connect` is False), the
    mirror indexed, history and datasets in place. `viewers` overrides the count (small
    libraries and datasets with all 50 viewers, say)."""
    from tests.fakes.plex.plextv import PlexTvDouble

    n_viewers = viewers or (SMALL_VIEWERS if small else VIEWERS)
    movies, shows = (SMALL_MOVIES, SMALL_SHOWS) if small else (MOVIES, SHOWS)
    catalog = Catalog(n_movies=int(movies / IN_PLEX_SHARE), n_shows=int(shows / IN_PLEX_SHARE),
                      seed=seed)
    plex = ScalePlexDouble(catalog, extra_accounts(n_viewers)).start()
    plex._httpd.RequestHandlerClass.disable_nagle_algorithm = True  # see bench_rows
    plextv = PlexTvDouble(plex).start()
    scale = Scale(catalog, plex, plextv, [], [], small)
    if connect:
        _connect(scale)
    return scale


def _connect(scale: Scale) -> None:
    from django.conf import settings

    from recommendations.models import ImmaculateTasteTitle, LatestWatchedTitle, RowPosterUpload
    from vault import integrations
    from vault.clients.factory import plex_server
    from vault.mirror import reader
    from vault.models import PlexLibrary, PlexViewer

    for model in (ImmaculateTasteTitle, LatestWatchedTitle, RowPosterUpload):
        model.objects.all().delete()  # a fresh server: no other test's or bench's rows
    settings.PLEX_TV_URL = scale.plextv.url
    integrations.save("plex", True, {"url": scale.plex.url, "token": scale.plex.token})
    reader.refresh(plex_server(), full=True)
    PlexViewer.objects.filter(account_id=4).update(monitored=False)  # Kiddo, as elsewhere
    PlexLibrary.objects.filter(key="3").update(selected=False)  # Kids Movies
    scale.viewers = list(PlexViewer.objects.order_by("account_id"))
    scale.libraries = list(PlexLibrary.objects.filter(key__in=("1", "2")).order_by("key"))
    rng = random.Random(16)
    _history(scale, rng)
    _datasets(scale, rng)
    scale.plex.clear()


def _history(scale: Scale, rng: random.Random) -> None:
    now = scale.plex.now()
    rows = []
    lo, hi = HISTORY_PER_VIEWER
    movies = [i.rating_key for i in scale.plex.library.items.values() if i.kind == "movie"
              and i.section == 1]
    episodes = [i.rating_key for i in scale.plex.library.items.values() if i.kind == "episode"]
    for viewer in scale.viewers:
        n = rng.randint(lo, hi) // (10 if scale.small else 1) + 2
        for key in rng.sample(movies, min(n, len(movies))):
            rows.append((viewer.account_id, key, now - rng.randint(3600, 730 * 86400)))
        for key in rng.sample(episodes, min(n, len(episodes))):
            rows.append((viewer.account_id, key, now - rng.randint(3600, 730 * 86400)))
    scale.plex.bulk_history(sorted(rows, key=lambda r: r[2]))


def _datasets(scale: Scale, rng: random.Random) -> None:
    """Immaculate Taste: viewer i of n holds up to IMMACULATE_MAX titles (movies) and a fifth
    of that (shows), 85% active at 1..50 points, the rest pending; Based on Latest Watched: 15
    recently watched and 15 Change of Taste titles per viewer and library."""
    from django.utils import timezone

    from recommendations.models import ImmaculateTasteTitle, LatestWatchedTitle
    from vault.models import PlexItem

    now = timezone.now()
    top = SMALL_IMMACULATE_MAX if scale.small else IMMACULATE_MAX
    viewers = [v for v in scale.viewers if v.monitored]
    taste, latest = [], []
    for library in scale.libraries:
        media = library.kind
        in_plex = list(PlexItem.objects.filter(library=library, tmdb_id__isnull=False)
                       .values_list("tmdb_id", "rating_key"))
        missing = [t.tmdb_id for t in scale.catalog.titles(media) if not t.in_plex]
        for n, viewer in enumerate(viewers, start=1):
            size = max(5, top * n // len(viewers) // (1 if media == "movie" else 5))
            active = rng.sample(in_plex, min(len(in_plex), size * 85 // 100))
            pending = rng.sample(missing, min(len(missing), size - len(active)))
            taste += [_taste(viewer, library, t, rk, "active", 1 + (t * 7) % 50, now)
                      for t, rk in active]
            taste += [_taste(viewer, library, t, None, "pending", 0, now) for t in pending]
            for kind in ("recently_watched", "change_of_taste"):
                for position, (t, rk) in enumerate(rng.sample(in_plex, LATEST_PER_LIST), 1):
                    latest.append(LatestWatchedTitle(
                        viewer=viewer, library=library, media_type=media, list_kind=kind,
                        position=position, tmdb_id=t, rating_key=rk, status="active",
                        title=f"Title {t}", suggested_at=now - timedelta(days=1)))
    ImmaculateTasteTitle.objects.bulk_create(taste, batch_size=2000)
    LatestWatchedTitle.objects.bulk_create(latest, batch_size=2000)


def _taste(viewer, library, tmdb_id, rating_key, status, points, now):
    from recommendations.models import ImmaculateTasteTitle

    title = f"Title {tmdb_id}"
    return ImmaculateTasteTitle(
        viewer=viewer, library=library, media_type=library.kind, tmdb_id=tmdb_id,
        title=title, year=2000 + tmdb_id % 25, vote_average=3 + (tmdb_id % 60) / 10,
        vote_count=100 + tmdb_id % 900, rating_key=rating_key, status=status, points=points,
        first_suggested_at=now - timedelta(days=tmdb_id % 300), last_suggested_at=now)
