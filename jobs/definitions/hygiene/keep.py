"""Which version of a duplicate group to keep: pure functions, no database, no Plex.

The documented rule (README, "Cleanup After Adding New Content"): a version whose file name
holds a preserve keyword (e.g. "2160p", "Remux"; none by default) wins; then the higher
resolution, then HDR (Dolby Vision over HDR10/HLG over none), then the codec (AV1 over HEVC
over H.264), then the higher bitrate, then the larger file; a tie keeps the oldest. The order
of the criteria is configurable. Every other version of the group is a deletion candidate, and
`deletions()` is the one list both the dry run shows and the real run deletes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CRITERIA = ("resolution", "hdr", "codec", "bitrate", "size")
DEFAULT_ORDER = CRITERIA
RESOLUTIONS = {"sd": 480, "480": 480, "576": 576, "720": 720, "1080": 1080, "2k": 1440,
               "1440": 1440, "4k": 2160, "2160": 2160, "8k": 4320}
HDR_RANK = {"Dolby Vision": 3, "HDR10": 2, "HLG": 1}
CODEC_RANK = {"av1": 4, "hevc": 3, "h265": 3, "vp9": 2, "h264": 1, "avc": 1}
CRITERION_WORDS = {"resolution": "higher resolution", "hdr": "better HDR",
                   "codec": "more efficient codec", "bitrate": "higher bitrate",
                   "size": "larger file"}


@dataclass(frozen=True)
class Version:
    """One media version of one Plex item (a movie or an episode)."""

    rating_key: int
    media_id: int
    library: str = ""
    title: str = ""
    resolution: str = ""
    hdr: str | None = None  # None: unknown
    codec: str = ""
    bitrate: int = 0
    size: int = 0
    file: str = ""
    added_at: int = 0  # the item's addedAt (epoch seconds)

    @property
    def key(self) -> tuple[int, int]:
        return (self.rating_key, self.media_id)

    @property
    def label(self) -> str:
        """"4K · HDR10 · HEVC · 25 Mbps · 7.3 GB"."""
        res = self.resolution.lower()
        parts = [("4K" if res == "4k" else res.upper() if res.endswith("k") or res == "sd"
                  else f"{res}p") if res else "", self.hdr or "", self.codec.upper(),
                 f"{self.bitrate / 1000:.0f} Mbps" if self.bitrate else "",
                 f"{self.size / 1e9:.1f} GB" if self.size else ""]
        return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class Rule:
    order: tuple[str, ...] = DEFAULT_ORDER
    preserve: tuple[str, ...] = ()

    @classmethod
    def parse(cls, order: str = "", preserve: str = "") -> Rule:
        """From the saved settings: "resolution,hdr,…" and "2160p, Remux"."""
        names = tuple(n for n in (p.strip().lower() for p in order.split(",")) if n in CRITERIA)
        words = tuple(w for w in (p.strip() for p in preserve.split(",")) if w)
        return cls(order=tuple(dict.fromkeys(names)) or DEFAULT_ORDER, preserve=words)


@dataclass(frozen=True)
class Decision:
    kept: Version
    delete: tuple[Version, ...]
    reason: str
    group: str = ""  # what the versions are copies of ("The Velvet Mirror (2020)")
    extra: dict = field(default_factory=dict, compare=False)


def resolution_of(value: str) -> int:
    text = (value or "").lower()
    if text in RESOLUTIONS:
        return RESOLUTIONS[text]
    digits = re.sub(r"\D", "", text)
    return int(digits) if digits else 0


def measure(v: Version, criterion: str) -> int:
    return {"resolution": lambda: resolution_of(v.resolution),
            "hdr": lambda: HDR_RANK.get(v.hdr or "", 0),
            "codec": lambda: CODEC_RANK.get((v.codec or "").lower(), 0),
            "bitrate": lambda: int(v.bitrate or 0),
            "size": lambda: int(v.size or 0)}[criterion]()


def preserved_by(v: Version, rule: Rule) -> str:
    """The first preserve keyword in the version's file name (case-insensitive), or ""."""
    name = (v.file or "").rsplit("/", 1)[-1].lower()
    return next((w for w in rule.preserve if w.lower() in name), "")


def rank(v: Version, rule: Rule) -> tuple:
    """Greater is better; the last items make a tie keep the oldest (then the lowest keys)."""
    return (bool(preserved_by(v, rule)), *(measure(v, c) for c in rule.order),
            -int(v.added_at or 0), -v.rating_key, -v.media_id)


def decide(versions: list[Version], rule: Rule, group: str = "") -> Decision:
    """Keep the best version of a group (two or more); the rest go on the delete list."""
    unique = list({v.key: v for v in versions}.values())
    if len(unique) < 2:
        raise ValueError("a duplicate group has two versions or more")
    ordered = sorted(unique, key=lambda v: rank(v, rule), reverse=True)
    kept, rest = ordered[0], tuple(ordered[1:])
    return Decision(kept, rest, reason_for(kept, ordered[1], rule), group)


def reason_for(kept: Version, runner_up: Version, rule: Rule) -> str:
    word = preserved_by(kept, rule)
    if word and not preserved_by(runner_up, rule):
        return f"Kept: its file name has the preserve keyword “{word}”."
    for criterion in rule.order:
        if measure(kept, criterion) != measure(runner_up, criterion):
            return (f"Kept: {CRITERION_WORDS[criterion]} than the next best "
                    f"({kept.label or 'unknown'} over {runner_up.label or 'unknown'}).")
    return "Kept the oldest: the versions are equal by the rule."


def deletions(decisions: list[Decision]) -> list[Version]:
    """Every version to delete, in a stable order; never a kept version of any group."""
    kept = {d.kept.key for d in decisions}
    out: dict[tuple[int, int], Version] = {}
    for d in decisions:
        for v in d.delete:
            if v.key not in kept:
                out.setdefault(v.key, v)
    return [out[k] for k in sorted(out)]
