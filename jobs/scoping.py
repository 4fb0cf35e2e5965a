"""Which viewers and libraries a run works on, and the checks every scoped job shares."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from jobs import locks, vaultlink
from jobs.context import JobContext, Scope
from jobs.errors import JobSkipped
from jobs.failures import describe


def require_plex() -> None:
    if not vaultlink.plex_enabled():
        raise JobSkipped("plex_not_enabled")


def no_selection_code(media_type: str) -> str:
    return "no_selected_movie_libraries" if media_type == "movie" else "no_selected_tv_libraries"


# A sweep saves its progress (and with it the report so far) at most this often. The report
# grows with every scope, so saving it after each one made a sweep's writes grow with the
# square of its viewers x libraries.
PROGRESS_EVERY = 2.0  # seconds

LIBRARY_REMOVED = "This library is no longer on the Plex server."
VIEWER_REMOVED = "This viewer is no longer on the Plex server."


def check_library(library, media_type: str) -> None:
    """Skip (never fail) when nothing of this media type is selected, this one is excluded, or
    it was removed from Plex (its rows are not written)."""
    if library is not None and not getattr(library, "present", True):
        raise JobSkipped("library_removed", LIBRARY_REMOVED)
    if not vaultlink.selected_libraries(media_type):
        raise JobSkipped(no_selection_code(media_type))
    if library is None or not library.selected:
        raise JobSkipped("library_excluded")


def check_library_present(library) -> None:
    if library is not None and not getattr(library, "present", True):
        raise JobSkipped("library_removed", LIBRARY_REMOVED)


def check_viewer(viewer) -> None:
    if viewer is not None and not getattr(viewer, "present", True):
        raise JobSkipped("viewer_removed", VIEWER_REMOVED)


def sweep_pairs(media_types: tuple[str, ...], viewer_account_id: int | None = None,
                library_key: str = "") -> list[tuple[object, object]]:
    """Every monitored viewer × selected library still on the server, owner last; a run
    scoped to a viewer only sweeps that viewer's libraries, one scoped to a library only
    sweeps every viewer of it."""
    libraries = [lib for lib in vaultlink.selected_libraries()
                 if vaultlink.media_type_of(lib) in media_types
                 and (not library_key or lib.key == str(library_key))]
    viewers = [v for v in vaultlink.monitored_viewers()
               if viewer_account_id is None or v.account_id == viewer_account_id]
    return [(viewer, library) for viewer in viewers for library in libraries]


@contextmanager
def scope_lock(ctx: JobContext, scope: Scope) -> Iterator[bool]:
    """During a sweep, hold the same lock a targeted run of this job would take."""
    key = locks.scope_key(ctx.job, scope.viewer_account_id, scope.library_key)
    token = locks.acquire(key, ctx.run)
    try:
        yield token is not None
    finally:
        if token:
            locks.release(key, token)


def for_each_scope(ctx: JobContext, media_types: tuple[str, ...],
                   work: Callable[[JobContext, object, object, Scope], dict]) -> None:
    """Targeted runs do their one scope; standalone runs sweep, recording each scope's outcome
    (one failing scope does not stop the others)."""
    if ctx.scope.is_targeted:
        viewer = vaultlink.viewer(ctx.scope.viewer_account_id)
        library = vaultlink.library(ctx.scope.library_key)
        check_viewer(viewer)
        check_library(library, vaultlink.media_type_of(library) or ctx.scope.media_type)
        counts = work(ctx, viewer, library, ctx.scope) or {}
        ctx.report.scope_result(ctx.scope.label, "ok", **counts)
        return
    partial = ctx.scope.viewer_account_id is not None or bool(ctx.scope.library_key)
    if partial:
        check_viewer(vaultlink.viewer(ctx.scope.viewer_account_id))
        check_library_present(vaultlink.library(ctx.scope.library_key))
    pairs = sweep_pairs(media_types, ctx.scope.viewer_account_id, ctx.scope.library_key)
    if not pairs and partial:
        raise JobSkipped("nothing_eligible",
                         f"Nothing eligible for {ctx.scope.label or 'this scope'}: the viewer "
                         "must be monitored and the library selected.")
    if not pairs:
        raise JobSkipped("nothing_eligible", "No monitored viewer with a selected library.")
    ctx.progress(total=len(pairs), current=0)
    saved = None
    for done, (viewer, library) in enumerate(pairs, start=1):
        scope = Scope.of(viewer, library)
        if saved is None or time.monotonic() - saved >= PROGRESS_EVERY:
            ctx.progress(step=f"{scope.label}", current=done - 1)
            saved = time.monotonic()
        _sweep_one(ctx, viewer, library, scope, work)
    ctx.progress(current=len(pairs))


def _sweep_one(ctx, viewer, library, scope: Scope, work) -> None:
    with scope_lock(ctx, scope) as held:
        if not held:
            ctx.report.scope_result(scope.label, "skipped", "busy with another run")
            return
        try:
            counts = work(ctx, viewer, library, scope) or {}
        except JobSkipped as exc:
            ctx.report.scope_result(scope.label, "skipped", exc.sentence)
        except Exception as exc:  # noqa: BLE001 - reported per scope; the sweep goes on
            failure = describe(exc)
            ctx.log(f"{scope.label}: {failure.sentence}", 40)
            ctx.report.scope_result(scope.label, "failed", failure.sentence)
        else:
            ctx.report.scope_result(scope.label, "ok", **counts)
