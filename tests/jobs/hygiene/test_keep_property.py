"""Must-show 4 (the rule's half): over random version sets, the kept version is never on the
delete list, every other version is, and the dry run's list is the real run's list
(`deletions()` is the one function both use; the job test checks the Plex double agrees)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jobs.definitions.hygiene.keep import Rule, Version, decide, deletions, reason_for

RESOLUTIONS = ("sd", "480", "720", "1080", "4k", "")
versions = st.builds(
    Version, rating_key=st.integers(1, 40), media_id=st.integers(1, 6),
    resolution=st.sampled_from(RESOLUTIONS),
    hdr=st.sampled_from(("", "HDR10", "Dolby Vision", None)),
    codec=st.sampled_from(("h264", "hevc", "av1", "mpeg4", "")),
    bitrate=st.integers(0, 80000), size=st.integers(0, 10**11),
    file=st.sampled_from(("/m/A.mkv", "/m/A - 2160p.mkv", "/m/A Remux.mkv", "")),
    added_at=st.integers(0, 10**6))
rules = st.builds(Rule, order=st.permutations(("resolution", "hdr", "codec", "bitrate",
                                               "size")).map(tuple),
                  preserve=st.sampled_from(((), ("Remux",), ("2160p", "remux"))))


def distinct(vs: list[Version]) -> list[Version]:
    return list({v.key: v for v in vs}.values())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(versions, min_size=2, max_size=6), min_size=1, max_size=5), rules)
def test_kept_never_deleted_and_dry_equals_real(groups, rule):
    groups = [g for g in (distinct(g) for g in groups) if len(g) > 1]
    taken: set = set()
    disjoint = []  # a version belongs to one group, as in the job
    for g in groups:
        g = [v for v in g if v.key not in taken]
        taken |= {v.key for v in g}
        if len(g) > 1:
            disjoint.append(g)
    decisions = [decide(g, rule) for g in disjoint]
    dry, real = deletions(decisions), deletions(list(decisions))
    assert dry == real
    kept = {d.kept.key for d in decisions}
    assert kept.isdisjoint(v.key for v in dry)
    for g, d in zip(disjoint, decisions, strict=True):
        assert d.kept in g and d.kept not in d.delete
        assert {v.key for v in d.delete} | {d.kept.key} == {v.key for v in g}
        assert d.reason


@settings(max_examples=100, deadline=None)
@given(st.lists(versions, min_size=2, max_size=6), rules)
def test_the_kept_version_is_at_least_as_good_by_the_rule(vs, rule):
    vs = distinct(vs)
    if len(vs) < 2:
        return
    d = decide(vs, rule)
    from jobs.definitions.hygiene.keep import rank

    assert all(rank(d.kept, rule) >= rank(v, rule) for v in d.delete)
    # shuffled input, same decision
    assert decide(list(reversed(vs)), rule).kept == d.kept


def test_documented_order_resolution_then_hdr_then_codec_then_bitrate_then_size():
    rule = Rule()
    base = dict(codec="h264", bitrate=8000, size=5, added_at=10)
    uhd = Version(1, 1, resolution="4k", **base)
    hd = Version(2, 2, resolution="1080", hdr="Dolby Vision", **base | {"codec": "av1"})
    assert decide([hd, uhd], rule).kept == uhd
    hdr = Version(3, 3, resolution="4k", hdr="HDR10", **base)
    assert decide([uhd, hdr], rule).kept == hdr
    hevc = Version(4, 4, resolution="4k", hdr="HDR10", **base | {"codec": "hevc"})
    assert decide([hdr, hevc], rule).kept == hevc
    fat = Version(5, 5, resolution="4k", hdr="HDR10", **base | {"codec": "hevc",
                                                                 "bitrate": 9000})
    assert decide([hevc, fat], rule).kept == fat
    big = Version(6, 6, resolution="4k", hdr="HDR10", **base | {"codec": "hevc",
                                                                 "bitrate": 9000, "size": 6})
    d = decide([fat, big], rule)
    assert d.kept == big and "larger file" in d.reason


def test_preserve_keyword_wins_and_ties_keep_the_oldest():
    rule = Rule.parse("resolution,size", "Remux")
    remux = Version(1, 1, resolution="1080", size=1, file="/m/Film (2020) Remux.mkv")
    uhd = Version(2, 2, resolution="4k", size=9, file="/m/Film (2020) - 4K.mkv")
    d = decide([uhd, remux], rule)
    assert d.kept == remux and "Remux" in d.reason
    old = Version(3, 3, resolution="1080", added_at=100)
    new = Version(4, 4, resolution="1080", added_at=200)
    d = decide([new, old], Rule())
    assert d.kept == old and d.reason == "Kept the oldest: the versions are equal by the rule."
    assert reason_for(old, new, Rule()) == d.reason


def test_rule_parse_ignores_unknown_criteria_and_keeps_the_default_when_empty():
    assert Rule.parse("size, bogus, resolution", " 2160p ,, Remux").order == ("size",
                                                                           "resolution")
    assert Rule.parse("", "").order == Rule().order
    assert Rule.parse("", " 2160p ,, Remux").preserve == ("2160p", "Remux")
