"""How a job says it skipped or failed: a machine-readable code and a sentence."""

from __future__ import annotations

SKIP_REASONS = {
    "auto_run_off": "Auto-Run is off for this job.",
    "viewer_not_monitored": "This viewer is not monitored.",
    "library_excluded": "The seed's library is excluded in Plex Library Selection.",
    "no_selected_movie_libraries": "No movie library is selected.",
    "no_selected_tv_libraries": "No TV library is selected.",
    "already_processed": "This watch was already processed by an earlier auto run.",
    "too_short": "The item is too short to count as a watch.",
    "plex_not_enabled": "Plex is not connected.",
    "nothing_eligible": "No viewer and library is eligible.",
    "scope_busy": "Another run kept this viewer and library busy for too long.",
}


class JobOutcome(Exception):
    code = ""

    def __init__(self, code: str, sentence: str = ""):
        super().__init__(sentence or SKIP_REASONS.get(code, code))
        self.code = code
        self.sentence = sentence or SKIP_REASONS.get(code, code)


class JobSkipped(JobOutcome):
    """Nothing to do, on purpose; the run ends "skipped" with this reason."""


class JobFailed(JobOutcome):
    """The job cannot go on; the run ends "failed" with this reason."""


def skip_sentence(code: str) -> str:
    return SKIP_REASONS.get(code, code.replace("_", " ").capitalize() + ".")


class JobCancelled(BaseException):
    """Someone cancelled the run; raised at a step boundary where stopping leaves nothing
    half-written. A BaseException, so a sweep's per-scope `except Exception` cannot swallow it;
    the runner records the run as cancelled."""

    code = "cancelled"

    def __init__(self, before_step: str = ""):
        self.before_step = before_step
        self.sentence = ("Cancelled on request" + (f" before the step “{before_step}”"
                                                   if before_step else "")
                         + "; the steps before it were completed and kept.")
        super().__init__(self.sentence)
