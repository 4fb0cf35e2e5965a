"""Plex webhooks: the per-install token, payload parsing, the 30-second dedupe, and what
`library.new` starts (one Cleanup After Adding New Content run scoped to the new item)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from immaculaterr.params import INT_MAX, positive_id, signed_id
from jobs import conf, registry, vaultlink
from jobs.context import Scope
from jobs.dispatch import dispatch, record_skip
from jobs.models import ACTIVE, InstallSecret, JobRun, Trigger, WebhookReceipt
from jobs.triggers import Watch, auto_run_on
from vault.mirror.parse import show_rating_key
from vault.models import PlexItem

TOKEN_NAME = "plex_webhook_token"
EVENT_JOBS = {"media.scrobble": ("immaculate_taste",), "library.new": ("media_added_cleanup",)}


class BadPayload(ValueError):
    pass


def token() -> str:
    secret, _ = InstallSecret.objects.get_or_create(
        name=TOKEN_NAME, defaults={"value": secrets.token_urlsafe(32)})
    return secret.value


def regenerate_token() -> str:
    value = secrets.token_urlsafe(32)
    InstallSecret.objects.update_or_create(name=TOKEN_NAME, defaults={"value": value,
                                                                      "created_at": timezone.now()})
    return value


def token_matches(given: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode(), token().encode())


def parse(raw: str) -> dict:
    try:
        payload = json.loads(raw)
    except (TypeError, ValueError) as exc:
        raise BadPayload(f"payload is not JSON: {exc}") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("event"), str):
        raise BadPayload("payload must be a JSON object with an event")
    for part in ("Account", "Metadata"):
        if part in payload and not isinstance(payload[part], dict):
            raise BadPayload(f"{part} must be an object")
    return payload


def _id(value, name: str, signed: bool = False) -> int:
    """A Plex id from the payload (ASCII digits, within the database's integer range)."""
    number = (signed_id if signed else positive_id)(str(value), INT_MAX)
    if number is None:
        raise BadPayload(f"{name} must be a whole number, not {str(value)[:40]!r}")
    return number


def watch_of(payload: dict) -> Watch:
    """The watch a media.* event describes (the show is the seed of an episode)."""
    meta, account = payload.get("Metadata") or {}, payload.get("Account") or {}
    kind = meta.get("type")
    episode = kind == "episode"
    try:
        account_id = _id(account["id"], "Account.id", signed=True)
        section = str(_id(meta["librarySectionID"], "Metadata.librarySectionID"))
        seed = show_rating_key(meta) if episode else meta["ratingKey"]
        if seed is None:
            raise KeyError("grandparentRatingKey or grandparentKey")
        seed_key = str(_id(seed, "the seed's rating key"))
        watched = _id(meta["ratingKey"], "Metadata.ratingKey") if meta.get("ratingKey") else ""
    except (KeyError, TypeError) as exc:
        raise BadPayload(f"{payload['event']} needs Account.id and Metadata ids ({exc})") from None
    year = meta.get("grandparentYear") if episode else meta.get("year")
    title = meta.get("grandparentTitle" if episode else "title", "")
    return Watch(account_id=account_id, library_key=section, kind=kind, seed_key=seed_key,
                 title=str(title)[:300], year=positive_id(str(year or ""), 9999),
                 duration_ms=_duration(meta) or _mirror_duration(section, seed_key),
                 source="webhook", watched_key=str(watched))


def _mirror_duration(section: str, seed_key: str) -> int:
    """Plex's documented media.scrobble Metadata has no duration: the mirror's (the movie's,
    or the show's typical episode length) stands in; 0 = unknown."""
    found = PlexItem.objects.filter(library__key=section, rating_key=int(seed_key))\
        .values_list("duration_ms", flat=True).first()
    return int(found or 0)


def _duration(meta: dict) -> int:
    return positive_id(str(meta.get("duration") or 0)) or 0


def first_delivery(raw: str) -> bool:
    """False when an identical payload arrived within the dedupe window (atomic, any number
    of web processes)."""
    digest = hashlib.sha256(raw.encode()).hexdigest()
    now = timezone.now()
    window = now - timedelta(seconds=conf.get("JOBS_WEBHOOK_DEDUPE_SECONDS"))
    try:
        with transaction.atomic():
            WebhookReceipt.objects.create(digest=digest, received_at=now)
        return True
    except IntegrityError:
        return WebhookReceipt.objects.filter(digest=digest, received_at__lt=window).update(
            received_at=now) == 1


CLEANUP = "media_added_cleanup"


def new_item_of(payload: dict) -> tuple[str, int, str, str]:
    """(library key, the ratingKey the cleanup is scoped to, title, media type) of a
    `library.new` event. Plex's Metadata names the new movie, or an episode or season of a
    show (grandparentRatingKey / parentRatingKey): the cleanup looks at the whole show's
    episodes, so a show's ratingKey stands for them."""
    meta = payload.get("Metadata") or {}
    kind = meta.get("type")
    try:
        section = str(_id(meta["librarySectionID"], "Metadata.librarySectionID"))
        if kind == "episode":
            key = show_rating_key(meta)
        elif kind == "season":
            key = meta.get("parentRatingKey")
        else:
            key = meta["ratingKey"]
        if key is None:
            raise KeyError("grandparentRatingKey or grandparentKey")
        rating_key = _id(key, "the new item's rating key")
    except (KeyError, TypeError) as exc:
        raise BadPayload(f"library.new needs Metadata.librarySectionID and ratingKey ({exc})")\
            from None
    title = meta.get("grandparentTitle" if kind in ("episode", "season") else "title", "")
    if kind == "season":
        title = meta.get("parentTitle", "") or title
    return section, rating_key, str(title)[:300], "movie" if kind == "movie" else "tv"


def library_new(payload: dict) -> JobRun | None:
    """One cleanup run scoped to the new item, or a skipped run saying why not; None when a
    run for it is already queued or running."""
    section, rating_key, title, media = new_item_of(payload)
    if CLEANUP not in registry.REGISTRY:
        return None
    library = vaultlink.library(section)
    scope = Scope.of(None, library, media) if library else Scope(
        library_key=section, media_type=media)
    seed = {"rating_keys": [rating_key], "title": title, "source": "webhook"}
    code = "" if auto_run_on(CLEANUP) else "auto_run_off"
    if not code and (library is None or not library.selected or not library.present):
        code = "library_excluded"
    if code:
        return record_skip(CLEANUP, code, scope=scope, seed=seed, item_key=str(rating_key))
    if JobRun.objects.filter(job=CLEANUP, status__in=ACTIVE, item_key=str(rating_key)).exists():
        return None
    return dispatch(CLEANUP, trigger=Trigger.AUTO, scope=scope, seed=seed,
                    item_key=str(rating_key))


def answer_library_new(raw: str, payload: dict) -> tuple[int, str, dict]:
    """(status, message, extra) the webhook view answers a `library.new` with."""
    try:
        new_item_of(payload)
    except BadPayload as exc:
        return 400, f"Malformed webhook: {exc}.", {}
    if not first_delivery(raw):
        return 202, "Duplicate of a webhook received moments ago; dropped.", {"duplicate": True}
    run = library_new(payload)
    runs = [{"id": run.pk, "job": run.job, "status": run.status, "reason": run.reason_code}] \
        if run else []
    return 202, "Accepted.", {"runs": runs}
