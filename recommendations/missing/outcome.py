"""What one send produced: the line's state and sentence, and what the row records."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Result:
    state: str
    sentence: str
    service_id: int | None = None
    added_by_us: bool = False
    request: dict | None = None  # the write it sent, or would send on a dry run
    answer: dict = field(default_factory=dict)
    requested_as: int | None = None
    requested_as_name: str = ""


def write(method: str, path: str, body) -> dict:
    return {"method": method, "path": path, "body": body}


def tag_labels(task: str) -> list[str]:
    return ["immaculaterr", f"immaculaterr-{task.replace('_', '-')}"]
