"""Import Plex History: each monitored viewer's last watched titles become seeds, so rows
exist from the day Immaculaterr is set up instead of after the next finished film.

Per monitored viewer × selected library the newest N distinct titles of their Plex watch
history (movies, and the show of an episode) each go through the Immaculate Taste seed path
(suggest → points update), and the newest one also through Based on Latest Watched (a
snapshot: only the latest seed would survive anyway). Then each viewer's rows are rebuilt once.

Idempotent: a seed that went through counts as processed (jobs.ProcessedItem, the record the
Plex triggers keep), so a second import, or a later rewatch of a title, skips it. Bounded: all
seeds together spend at most the run's TMDB request budget (Command Center); seeds left over
stay unprocessed for the next run. Seeds are taken round-robin over viewers and libraries, so a
small budget still gives every viewer a first row. Missing titles are not sent to Radarr,
Sonarr or Overseerr from an import (that stays with the watch-triggered runs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import zip_longest

from django.conf import settings as django_settings

from jobs import locks, scoping, vaultlink
from jobs.context import JobContext, Scope
from jobs.definitions.refreshers import refresh_scope
from jobs.definitions.steps import (
    ENGINE_MEDIA,
    as_engine_seed,
    commit_plan,
    plex,
    refresh_mirror,
    watched,
)
from jobs.errors import JobSkipped
from jobs.failures import describe
from jobs.models import ProcessedItem
from jobs.registry import job
from recommendations.datasets.plans import plan_immaculate_points, plan_latest_watched
from recommendations.datasets.watched import viewer_history
from recommendations.engine.api import suggest
from recommendations.models import RecommendationSettings
from recommendations.types import CONTRAST, SIMILAR
from vault import integrations
from vault.mirror.parse import show_rating_key
from vault.models import PlexItem

TITLES_DEFAULT = 10       # HISTORY_IMPORT_TITLES: seeds per viewer and library
ENTRIES_PER_TITLE = 20    # history rows read per wanted title (episodes repeat their show)
TASTE, LATEST = "immaculate_taste", "latest_watched"


def titles_per_library() -> int:
    return max(1, int(getattr(django_settings, "HISTORY_IMPORT_TITLES", TITLES_DEFAULT)))


@dataclass
class Pair:
    """One viewer × library: its seeds (newest first) and how they went."""

    viewer: object
    library: object
    seeds: list = field(default_factory=list)      # PlexItem
    seen: set = field(default_factory=set)         # watched TMDB ids
    history: int = 0
    before: int = 0                                # seeds processed by an earlier run
    done: list = field(default_factory=list)       # (item, dataset, picks)
    failed: list = field(default_factory=list)     # (item, sentence)

    @property
    def media(self) -> str:
        return vaultlink.media_type_of(self.library)

    @property
    def scope(self) -> Scope:
        return Scope.of(self.viewer, self.library)


def recent_seeds(entries, library, limit: int) -> list:
    """The newest `limit` distinct titles of history `entries` (newest first) as mirrored
    Plex items of `library`; an episode stands for its show, a deleted file is left out."""
    keys: list[int] = []
    for entry in entries:
        kind = getattr(entry, "type", None)
        key = show_rating_key(entry) if kind == "episode" else getattr(entry, "ratingKey", None)
        if key not in (None, "") and int(key) not in keys:
            keys.append(int(key))
    items = {i.rating_key: i for i in PlexItem.objects.filter(
        library=library, rating_key__in=keys, kind=library.kind)}
    return [items[k] for k in keys if k in items][:limit]


def processed(dataset: str, pair: Pair, item) -> bool:
    return ProcessedItem.objects.filter(job=dataset, viewer_account_id=pair.viewer.account_id,
                                        library_key=pair.library.key,
                                        item_key=str(item.rating_key)).exists()


def mark_processed(ctx: JobContext, dataset: str, pair: Pair, item) -> None:
    if not ctx.dry_run:
        ProcessedItem.objects.get_or_create(
            job=dataset, viewer_account_id=pair.viewer.account_id, library_key=pair.library.key,
            item_key=str(item.rating_key), defaults={"run": ctx.run})


def read_pairs(ctx: JobContext, limit: int) -> list[Pair]:
    pairs = [Pair(v, lib) for v, lib in scoping.sweep_pairs(
        ("movie", "tv"), ctx.scope.viewer_account_id, ctx.scope.library_key)]
    with ctx.report.step("plex history") as counts:
        for pair in pairs:
            entries = viewer_history(plex(ctx), pair.viewer, pair.library,
                                     limit=limit * ENTRIES_PER_TITLE)
            pair.history = len(entries)
            pair.seeds = recent_seeds(entries, pair.library, limit)
        counts.update(scopes=len(pairs), titles=sum(len(p.seeds) for p in pairs))
    return pairs


def work_list(ctx: JobContext, pairs: list[Pair]) -> list[tuple[Pair, object, str]]:
    """(pair, item, dataset) for every seed not processed yet: each viewer's newest title for
    Immaculate Taste first, then the Based on Latest Watched snapshots, then the older titles,
    round-robin over the pairs (a small budget still gives everyone a first row)."""
    taste, latest = [], []
    for pair in pairs:
        queue = []
        for n, item in enumerate(pair.seeds):
            if n == 0 and not processed(LATEST, pair, item):
                latest.append((pair, item, LATEST))
            if processed(TASTE, pair, item):
                pair.before += 1
            else:
                queue.append((pair, item, TASTE))
        taste.append(queue)
    rounds = [task for row in zip_longest(*taste) for task in row if task is not None]
    first = len([q for q in taste if q])
    return rounds[:first] + latest + rounds[first:]


class Budget:
    """The run's TMDB request budget, shared by every seed of the import."""

    def __init__(self):
        self.settings = RecommendationSettings.load()
        self.total, self.spent = self.settings.tmdb_request_budget, 0

    def for_next_seed(self) -> RecommendationSettings | None:
        """The dials with the budget that is left (unsaved), or None once it is spent."""
        left = self.total - self.spent
        if left <= 0:
            return None
        self.settings.tmdb_request_budget = left
        return self.settings

    def spend(self, result) -> None:
        card = result.breakdown.get("tmdb")
        self.spent += getattr(card, "requests", 0) or 0


def seed_once(ctx: JobContext, pair: Pair, item, dataset: str, budget: Budget) -> bool:
    """One seed through its job's path (suggest → dataset plan → commit); False when the
    budget ran out before or during it (then the seed stays unprocessed)."""
    media, seed = pair.media, as_engine_seed(ctx, item)
    modes = (SIMILAR,) if dataset == TASTE else (SIMILAR, CONTRAST)
    results = []
    for mode in modes:
        dials = budget.for_next_seed()
        if dials is None:
            return False
        result = suggest(pair.viewer, pair.library, ENGINE_MEDIA[media], seed, mode=mode,
                         dry_run=ctx.dry_run, watched=pair.seen, settings=dials)
        budget.spend(result)
        if result.seed is None:
            if budget.for_next_seed() is None:
                return False
            pair.failed.append((item, f"TMDB found no match for {item.title}"
                                if result.seed_error is None else str(result.seed_error)))
            return True
        results.append(result)
    if dataset == TASTE:
        plan = plan_immaculate_points(pair.viewer, pair.library, ENGINE_MEDIA[media],
                                      results[0].picks)
    else:
        plan = plan_latest_watched(pair.viewer, pair.library, ENGINE_MEDIA[media],
                                   results[0].picks, results[1].picks)
    commit_plan(ctx, plan, f"{'Immaculate Taste' if dataset == TASTE else 'Latest Watched'} · "
                           f"{item.title} · {pair.scope.label}")
    mark_processed(ctx, dataset, pair, item)
    pair.done.append((item, dataset, sum(len(r.picks) for r in results)))
    return True


def run_seeds(ctx: JobContext, tasks: list, budget: Budget) -> int:
    """Every task in order, each under the lock its own job would take for that viewer and
    library; returns how many were left when the budget ran out (0 = all done)."""
    ctx.progress(step="importing seeds", current=0, total=len(tasks) + 1)
    for n, (pair, item, dataset) in enumerate(tasks):
        ctx.progress(step=f"{item.title} · {pair.scope.label}", current=n)
        key = locks.scope_key(dataset, pair.viewer.account_id, pair.library.key)
        token = locks.acquire(key, ctx.run)
        if token is None:
            pair.failed.append((item, "another run was busy with this viewer and library"))
            continue
        try:
            if not seed_once(ctx, pair, item, dataset, budget):
                return len(tasks) - n
        finally:
            locks.release(key, token)
    return 0


def rebuild_rows(ctx: JobContext, pair: Pair) -> None:
    datasets = sorted({dataset for _, dataset, _ in pair.done}, reverse=True)  # taste first
    counts = {"seeds": sum(1 for _, dataset, _ in pair.done if dataset == TASTE),
              "done_before": pair.before, "failed": len(pair.failed)}
    if not ctx.dry_run:
        try:
            for dataset in datasets:
                refresh_scope(ctx, pair.viewer, pair.library, pair.scope, dataset)
        except Exception as exc:  # noqa: BLE001 - the datasets stand; the refresher redoes rows
            failure = describe(exc)
            ctx.log(f"{pair.scope.label}: {failure.sentence}", 40)
            ctx.report.scope_result(pair.scope.label, "failed", "The seeds were imported but "
                                    f"the rows were not rebuilt: {failure.sentence}", **counts)
            return
    ctx.report.add_list(f"Seeds from {pair.viewer.name}'s history", [
        {"title": item.title, "year": item.year, "tmdb_id": item.tmdb_id,
         "why": f"{'Immaculate Taste' if dataset == TASTE else 'Based on Latest Watched'}: "
                f"{picks} picks", "status": "seed"} for item, dataset, picks in pair.done],
        pair.scope.label)
    ctx.report.scope_result(pair.scope.label, "ok", **counts)


def judge_pair(ctx: JobContext, pair: Pair) -> None:
    label = pair.scope.label
    who, where = pair.viewer.name, pair.library.title
    if not pair.history or not pair.seeds:
        ctx.report.scope_result(label, "skipped", f"{who} has no watch history in {where} "
                                f"yet." if not pair.history else f"None of what {who} watched "
                                f"in {where} is in the library any more.")
    elif pair.done:
        rebuild_rows(ctx, pair)
    elif pair.failed:
        ctx.report.scope_result(label, "failed", "; ".join(s for _, s in pair.failed)[:400])
    elif pair.before == len(pair.seeds):
        ctx.report.scope_result(label, "skipped", f"All {pair.before} recent titles of {who} "
                                f"in {where} were imported before.", done_before=pair.before)
    else:
        ctx.report.scope_result(label, "skipped", f"The run's TMDB budget was spent before "
                                f"{who}'s titles in {where}; import again to go on.")


@job("history_import", "Import Plex History", sweeps=True, time_limit=30 * 60)
def history_import(ctx: JobContext) -> None:
    """Each monitored viewer's last watched titles per selected library become seeds for
    Immaculate Taste (the newest also for Based on Latest Watched), so rows exist from day
    one; titles imported before are skipped; the run's TMDB budget bounds it."""
    scoping.require_plex()
    if not integrations.is_enabled("tmdb"):
        raise JobSkipped("tmdb_not_enabled", "TMDB is not connected: add its API key in the "
                                             "Vault, then import again.")
    refresh_mirror(ctx)
    if not vaultlink.monitored_viewers():
        raise JobSkipped("no_monitored_viewers", "No viewer is monitored: choose whose "
                         "history counts in the Command Center's Viewers, then import again.")
    pairs = read_pairs(ctx, titles_per_library())
    if not pairs:
        raise JobSkipped("nothing_eligible", "No monitored viewer with a selected library.")
    if not any(p.seeds for p in pairs):
        raise JobSkipped("no_history", "No monitored viewer has watched anything in the "
                         "selected libraries yet; rows start with the first watch.")
    tasks = work_list(ctx, pairs)
    for pair in {id(t[0]): t[0] for t in tasks}.values():
        pair.seen = watched(ctx, pair.viewer, pair.library)
    budget = Budget()
    left = run_seeds(ctx, tasks, budget)
    ctx.progress(step="rebuilding rows", current=len(tasks))
    for pair in pairs:
        judge_pair(ctx, pair)
    summarize(ctx, pairs, budget, left)


def summarize(ctx: JobContext, pairs: list[Pair], budget: Budget, left: int) -> None:
    seeds = sum(1 for p in pairs for _, d, _ in p.done if d == TASTE)
    viewers = sorted({p.viewer.name for p in pairs if p.done})
    before = sum(p.before for p in pairs)
    text = (f"{'Would import' if ctx.dry_run else 'Imported'} {seeds} "
            f"seed{'s' if seeds != 1 else ''} from the Plex history of "
            f"{', '.join(viewers) or 'nobody'}.")
    if before:
        text += f" {before} imported before were skipped."
    if left:
        text += (f" The TMDB budget of {budget.total} requests was spent with {left} "
                 f"seed{'s' if left != 1 else ''} to go; import again to go on.")
        ctx.report.note(f"TMDB requests: {budget.spent} of {budget.total}.")
    ctx.report.summary(text)
