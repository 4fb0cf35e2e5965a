"""Accounts, now-playing sessions and watch history in the Plex double.

History rows look like a real server's: thin elements keyed by `accountID`, with
`grandparentKey`/`parentKey` paths for episodes (no `grandparentRatingKey`), so apps must parse
the show's key from the path, as they must against a real server.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from tests.fakes.base import Request, route
from tests.fakes.plex.accounts import ACCOUNTS, BY_ID
from tests.fakes.plex.errors import not_found
from tests.fakes.plex.query import page, paging, totals
from tests.fakes.plex.xml import container, item_element, show_key, sub, xml_response


@dataclass
class Session:
    key: int
    account_id: int
    rating_key: int
    view_offset: int
    state: str


@dataclass
class HistoryRow:
    id: int
    account_id: int
    rating_key: int
    viewed_at: int
    section: int


class ActivityRoutes:
    """Mixed into PlexServerDouble; needs `library` and `lock`."""

    def _init_activity(self) -> None:
        self._sessions: dict[int, Session] = {}
        self._history: list[HistoryRow] = []
        self._next_session = 1
        self._next_history = 1

    # helpers for tests -----------------------------------------------------------------------
    def set_session(self, account_id: int, rating_key: int, view_offset_ms: int,
                    state: str = "playing") -> int:
        """Start (or update) what an account is playing; returns the session key."""
        with self.lock:
            if int(rating_key) not in self.library.items or int(account_id) not in BY_ID:
                raise KeyError(f"no item {rating_key} or account {account_id}")
            current = next((s for s in self._sessions.values()
                            if s.account_id == account_id and s.rating_key == rating_key), None)
            if current is None:
                current = Session(self._next_session, account_id, rating_key, 0, state)
                self._sessions[current.key] = current
                self._next_session += 1
            current.view_offset, current.state = int(view_offset_ms), state
            return current.key

    def end_session(self, key: int) -> None:
        with self.lock:
            self._sessions.pop(int(key), None)

    def clear_sessions(self) -> None:
        with self.lock:
            self._sessions.clear()

    def add_history(self, account_id: int, rating_key: int, viewed_at: int | None = None) -> int:
        """Record a finished play; returns the history id."""
        with self.lock:
            item = self.library.items[int(rating_key)]
            row = HistoryRow(self._next_history, int(account_id), item.rating_key,
                             int(viewed_at if viewed_at is not None else time.time()),
                             item.section)
            self._history.append(row)
            self._next_history += 1
            return row.id

    # routes ----------------------------------------------------------------------------------
    @route("GET", r"/accounts/?")
    def _accounts(self, req: Request):
        root = container(size=len(ACCOUNTS) + 1, identifier="com.plexapp.system.accounts")
        sub(root, "Account", id=0, key="/accounts/0", name="", defaultAudioLanguage="en",
            autoSelectAudio=1, defaultSubtitleLanguage="en", subtitleMode=0, thumb="")
        for a in ACCOUNTS:
            sub(root, "Account", id=a.id, key=f"/accounts/{a.id}", name=a.title,
                defaultAudioLanguage="en", autoSelectAudio=1, defaultSubtitleLanguage="en",
                subtitleMode=0, thumb=f"https://plex.tv/users/{a.plextv_id:x}/avatar")
        return xml_response(root)

    @route("GET", r"/status/sessions")
    def _now_playing(self, req: Request):
        with self.lock:
            sessions = [s for s in self._sessions.values() if s.rating_key in self.library.items]
            root = container(size=len(sessions))
            for s in sessions:
                self._session_element(root, s)
        return xml_response(root)

    def _session_element(self, root, s: Session) -> None:
        account = BY_ID[s.account_id]
        el = item_element(root, self.library, self.library.items[s.rating_key],
                          viewOffset=s.view_offset, sessionKey=s.key)
        sub(el, "User", id=account.id, thumb=f"https://plex.tv/users/{account.plextv_id:x}/avatar",
            title=account.title)
        player = hashlib.sha1(f"player-{account.id}".encode()).hexdigest()[:24]
        sub(el, "Player", address="192.168.1.50", machineIdentifier=player, model="",
            platform="Chrome", product="Plex Web", profile="Web", state=s.state,
            title=account.player, vendor="", version="4.118.0", local=1, relayed=0, secure=1,
            userID=account.id)
        sub(el, "Session", id=hashlib.sha1(f"session-{s.key}".encode()).hexdigest()[:24],
            bandwidth=10000, location="lan")

    @route("GET", r"/status/sessions/history/all")
    def _history_listing(self, req: Request):
        with self.lock:
            rows = _filter_history(self._history, req.query)
        start, size = paging(req.query, req.headers)
        root = container(size=0, **totals(rows, start, size, self.omit_totals))
        with self.lock:
            for row in page(rows, start, size):
                self._history_element(root, row)
        root.set("size", str(len(root)))
        return xml_response(root)

    def _history_element(self, root, row: HistoryRow) -> None:
        item = self.library.items.get(row.rating_key)
        if item is None:  # the file is gone; the row stays, with what the server remembers
            sub(root, "Video", historyKey=f"/status/sessions/history/{row.id}",
                ratingKey=row.rating_key, librarySectionID=row.section,
                viewedAt=row.viewed_at, accountID=row.account_id, deviceID=1)
            return
        episode = item.kind == "episode"
        parent = self.library.items[item.parent] if episode else None
        show = self.library.items[item.grandparent] if episode else None
        sub(root, "Video", historyKey=f"/status/sessions/history/{row.id}",
            key=show_key(item), ratingKey=item.rating_key, librarySectionID=item.section,
            parentKey=show_key(parent) if parent else None,
            grandparentKey=show_key(show) if show else None, title=item.title,
            grandparentTitle=show.title if show else None, type=item.kind,
            thumb=f"/library/metadata/{item.rating_key}/thumb/{item.updated_at}",
            index=item.index if episode else None,
            parentIndex=item.parent_index if episode else None,
            originallyAvailableAt=item.release, viewedAt=row.viewed_at,
            accountID=row.account_id, deviceID=1)

    @route("GET", r"/:/scrobble")
    def _scrobble(self, req: Request):
        """Mark played, as plexapi's `markPlayed` asks (`/:/scrobble?key=<ratingKey>&
        identifier=com.plexapp.plugins.library`): the token's account (the owner) watched it;
        a show or season marks each of its episodes."""
        key = req.query.get("key", "")
        with self.lock:
            item = self.library.items.get(int(key)) if key.isdigit() else None
            if item is None:
                return not_found()
            leaves = self.library.leaves(item) or [item]
        for leaf in leaves:
            self.add_history(1, leaf.rating_key)
        return xml_response(container(size=0))

    @route("DELETE", r"/status/sessions/history/(?P<hid>\d+)")
    def _forget_history(self, req: Request, hid: str):
        with self.lock:
            before = len(self._history)
            self._history = [r for r in self._history if r.id != int(hid)]
            if len(self._history) == before:
                return not_found()
        return xml_response(container(size=0))


def _filter_history(rows: list[HistoryRow], q: dict[str, str]) -> list[HistoryRow]:
    """accountID, metadataItemID, librarySectionID, `viewedAt>=` / `viewedAt<=` and sort."""
    exact = {"accountID": "account_id", "metadataItemID": "rating_key",
             "librarySectionID": "section"}
    for param, attr in exact.items():
        if q.get(param):
            rows = [r for r in rows if str(getattr(r, attr)) == q[param]]
    if q.get("viewedAt>"):
        rows = [r for r in rows if r.viewed_at >= int(q["viewedAt>"])]
    if q.get("viewedAt<"):
        rows = [r for r in rows if r.viewed_at <= int(q["viewedAt<"])]
    descending = q.get("sort", "viewedAt:desc").endswith(":desc")
    return sorted(rows, key=lambda r: (r.viewed_at, r.id), reverse=descending)
