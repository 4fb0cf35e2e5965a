"""The people the Plex doubles know: one owner, two friends the server is shared with and one
managed (home) user.

The server's `/accounts` ids and plex.tv's `/api/users/` ids are the same numbers, as on a real
server, except for the owner: the server always calls the owner account 1 while plex.tv knows
the owner by a large account id (`OWNER_PLEXTV_ID`). Apps that join the two must special-case 1.
"""

from __future__ import annotations

from dataclasses import dataclass

OWNER_PLEXTV_ID = 7184221


@dataclass(frozen=True)
class Account:
    id: int  # the server's account id (history accountID, session User id)
    title: str
    username: str  # empty for managed users, as on plex.tv
    email: str
    kind: str  # "owner" | "shared" | "managed"
    player: str  # the device this account plays on in sessions

    @property
    def plextv_id(self) -> int:
        return OWNER_PLEXTV_ID if self.kind == "owner" else self.id


ACCOUNTS: tuple[Account, ...] = (
    Account(1, "Ava Owner", "avaowner", "ava@example.com", "owner", "Living Room TV"),
    Account(2, "Bea", "Bea", "bea@example.com", "shared", "Bea's iPhone"),
    Account(3, "Cy", "Cy", "cy@example.com", "shared", "Cy's Chromecast"),
    Account(4, "Kiddo", "", "", "managed", "Playroom Fire TV"),
)
BY_ID = {a.id: a for a in ACCOUNTS}
OWNER = ACCOUNTS[0]
