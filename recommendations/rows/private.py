"""Private rows, the pure part: our `label!=` entries in Plex share filters, and the matrix.

Plex has no per-user collections, but each share carries label restrictions: a collection
labelled `imm_<account id>` is hidden from every account whose share filter for that section
type holds `label!=imm_<account id>`. So each viewer's rows carry the viewer's own label, every
*other* shared account's filter excludes it, the viewer keeps no exclusion of their own, and the
owner (no share) sees everything. Plex applies this to Home and Recommended from Plex Media
Server 1.43.1, to Related rows from 1.43.2.10687, with Plex Pass on the owner's account
(stevezau/shortlist, docs/plex-per-user-collections.md; the filter strings as python-plexapi's
plexapi/myplex.py reads and writes them: conditions joined by `|`, or by `,` as shortlist shows).

Merge, never overwrite: `with_labels` adds or removes only whole `label!=imm_<digits>`
conditions and leaves every other character of the string as it was, so
`with_labels(with_labels(s, L), []) == s` for a string that held none of ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "imm_"
MEDIA = ("movie", "show")
OURS = re.compile(r"label!=imm_\d+")
_SPLIT = re.compile(r"(\||,|%2C)", re.IGNORECASE)


def label_for(account_id: int) -> str:
    """A viewer's private label: by the server's account id, which a rename never changes."""
    return f"{PREFIX}{int(account_id)}"


def our_labels(value: str) -> list[str]:
    """The private labels this filter string excludes through entries of ours, in order."""
    return [t.split("=", 1)[1] for t in _SPLIT.split(value or "")[::2] if OURS.fullmatch(t)]


def _separator(value: str) -> str:
    if "|" in value or "," not in value:
        return "|"  # plexapi's form (and the one for a string of one condition)
    return ","


def with_labels(value: str, labels) -> str:
    """`value` excluding exactly `labels` through our entries: ours not wanted are removed (with
    one separator), wanted ones already there stay where they are, missing ones are appended in
    sorted order; nothing else changes."""
    value = value or ""
    wanted = set(labels)
    parts = _SPLIT.split(value)
    pieces = [("", parts[0])] + [(parts[i], parts[i + 1]) for i in range(1, len(parts), 2)]
    kept: list[list[str]] = []
    present: set[str] = set()
    for sep, token in pieces:
        label = token.split("=", 1)[1] if OURS.fullmatch(token) else None
        if label is not None and (label not in wanted or label in present):
            continue  # (a first entry takes the separator after it along: see below)
        if label is not None:
            present.add(label)
        kept.append((sep if kept else "", token))
    text = "".join(sep + token for sep, token in kept)
    for label in sorted(wanted - present, key=_natural):
        entry = f"label!={label}"
        text = f"{text}{_separator(value)}{entry}" if text else entry
    return text


def _natural(label: str):
    digits = label[len(PREFIX):]
    return (0, int(digits)) if digits.isdigit() else (1, label)


@dataclass(frozen=True)
class FilterChange:
    """One share filter we change: what it was and what it becomes."""

    share: int  # plex.tv account id
    account: str  # its name, for reports
    media: str  # movie | show
    before: str
    after: str

    def as_dict(self) -> dict:
        return {"account": self.account, "library": {"movie": "Movie libraries",
                                                     "show": "TV libraries"}[self.media],
                "before": self.before, "after": self.after}


def desired_exclusions(share: int, private: dict[int, int]) -> set[str]:
    """The private labels one share must exclude: every private viewer's but its own.
    `private`: account id (label) -> that viewer's plex.tv share id (None-free; the owner's
    plex.tv id is no share, so the owner's label is excluded everywhere)."""
    return {label_for(account) for account, owner_share in private.items()
            if owner_share != share}


def plan_filters(shares: dict, private: dict[int, int], enabled: bool = True
                 ) -> list[FilterChange]:
    """Every filter change the matrix needs, at most one per (share, section type); none when
    each filter already says what it should. Off: all our entries removed."""
    changes = []
    for share_id, share in sorted(shares.items()):
        wanted = desired_exclusions(share_id, private) if enabled else set()
        for media in MEDIA:
            before = share.filter(media)
            after = with_labels(before, wanted)
            if after != before:
                changes.append(FilterChange(share_id, share.title, media, before, after))
    return changes
