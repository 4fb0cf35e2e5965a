"""The next few cards of a deck, in a constant number of queries whatever the dataset size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from observatory.deck.details import add_details
from observatory.models import Action, Decision, Pass
from recommendations.models import (
    ImmaculateTasteTitle,
    LatestWatchedTitle,
    MissingSend,
    SendState,
    Status,
)

SHOWN = 3  # cards in the page: the top one and the next two, already loaded


@dataclass(frozen=True)
class Scope:
    viewer: object
    library: object

    @property
    def media(self) -> str:
        return self.library.kind

    @property
    def label(self) -> str:
        return f"{self.viewer.name} · {self.library.title}"

    def rows(self, model):
        return model.objects.filter(viewer=self.viewer, library=self.library,
                                    media_type=self.media)


@dataclass
class Card:
    tmdb_id: int
    title: str
    year: int | None
    poster_kind: str
    vote_average: float = 0.0
    vote_count: int = 0
    why: str = ""
    in_plex: bool = False
    status: str = ""
    route: str = ""
    length: str = ""  # runtime or seasons
    genres: str = ""
    overview: str = ""


@dataclass
class Deck:
    scope: Scope
    deck_pass: str = ""
    cards: list[Card] = field(default_factory=list)
    left: int = 0
    summary: dict = field(default_factory=dict)

    @property
    def actions(self) -> tuple[str, str]:
        """(left, right) for this pass."""
        if self.deck_pass == Pass.APPROVAL:
            return Action.REJECT, Action.APPROVE
        return Action.REMOVE, Action.KEEP


def decided(scope: Scope):
    return scope.rows(Decision).filter(undone=False).values("tmdb_id")


def approval_queue(scope: Scope):
    return (scope.rows(MissingSend).filter(state=SendState.AWAITING_APPROVAL)
            .exclude(tmdb_id__in=decided(scope)).order_by("found_at", "pk"))


def review_queue(scope: Scope):
    return (scope.rows(ImmaculateTasteTitle).exclude(tmdb_id__in=decided(scope))
            .order_by("-points", "pk"))


def latest_queue(scope: Scope):
    """Based on Latest Watched titles not also in Immaculate Taste (those come first)."""
    return (scope.rows(LatestWatchedTitle).exclude(tmdb_id__in=decided(scope))
            .exclude(tmdb_id__in=scope.rows(ImmaculateTasteTitle).values("tmdb_id"))
            .order_by("list_kind", "position", "pk"))


def review_titles(scope: Scope) -> tuple[int, list]:
    """How many titles are left to review, and the next few (one per TMDB id)."""
    review, latest = review_queue(scope), latest_queue(scope)
    left = review.count() + latest.order_by().values("tmdb_id").distinct().count()
    shown = list(review[:SHOWN])
    if len(shown) < SHOWN:
        for row in latest[:SHOWN * 2]:  # a title may be in both of its lists
            if len(shown) < SHOWN and row.tmdb_id not in {t.tmdb_id for t in shown}:
                shown.append(row)
    return left, shown


def next_deck(scope: Scope) -> Deck:
    deck = Deck(scope, summary=summary(scope))
    approval = approval_queue(scope)
    deck.left = approval.count()
    if deck.left:
        deck.deck_pass = Pass.APPROVAL
        deck.cards = add_details(scope.media, approval_cards(scope, list(approval[:SHOWN])))
        return deck
    deck.left, titles = review_titles(scope)
    if deck.left:
        deck.deck_pass = Pass.REVIEW
        deck.cards = add_details(scope.media, review_cards(scope, titles))
    return deck


def has_suggestions(scope: Scope) -> bool:
    return any(scope.rows(model).exists() for model in (
        ImmaculateTasteTitle, LatestWatchedTitle, Decision, MissingSend))


def poster_kind(scope: Scope) -> str:
    return "tv" if scope.media == "show" else "movie"


def approval_cards(scope: Scope, sends) -> list[Card]:
    titles = {t.tmdb_id: t for t in scope.rows(ImmaculateTasteTitle).filter(
        tmdb_id__in=[s.tmdb_id for s in sends])}
    cards = []
    for send in sends:
        title = titles.get(send.tmdb_id)
        cards.append(Card(send.tmdb_id, send.title, send.year, poster_kind(scope),
                          title.vote_average if title else 0.0,
                          title.vote_count if title else 0,
                          send.why or (title.why if title else ""),
                          False, Status.PENDING.value.capitalize(), send.get_route_display()))
    return cards


def review_cards(scope: Scope, titles) -> list[Card]:
    routes = dict(scope.rows(MissingSend).filter(tmdb_id__in=[t.tmdb_id for t in titles])
                  .values_list("tmdb_id", "route"))
    return [Card(t.tmdb_id, t.title, t.year, poster_kind(scope), t.vote_average,
                 t.vote_count, t.why, t.rating_key is not None, t.status.capitalize(),
                 routes.get(t.tmdb_id, "").capitalize())
            for t in titles]


def summary(scope: Scope) -> dict:
    counts = (scope.rows(Decision).filter(undone=False).values("action")
              .annotate(n=Count("pk")).order_by())
    found = {row["action"]: row["n"] for row in counts}
    return {label: found.get(value, 0) for value, label in Action.choices}
