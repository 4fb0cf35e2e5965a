"""Ids from the outside (query strings, forms, seeds, payloads), parsed one way.

`str.isdigit()` accepts "²" and "١٢", which `int()` then rejects, and a number past 2**63 - 1
overflows the database; this module accepts ASCII digits within the column's range only.
"""

from __future__ import annotations

import re

BIGINT_MAX = 2**63 - 1
INT_MAX = 2**31 - 1  # IntegerField columns (PostgreSQL `integer`)
DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII only; 19 digits already pass BIGINT_MAX
ID_MESSAGE = "Use a whole number made of the digits 0-9."


def positive_id(value, maximum: int = BIGINT_MAX) -> int | None:
    """`value` as an int in 0..maximum when it is plain ASCII digits, else None."""
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, int) and not isinstance(text, bool):
        return text if 0 <= text <= maximum else None
    if not isinstance(text, str) or not DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if number <= maximum else None


def signed_id(value, maximum: int = BIGINT_MAX) -> int | None:
    """Like positive_id, but a leading minus is allowed (Plex account ids can be -1)."""
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and text.startswith("-"):
        number = positive_id(text[1:], maximum + 1)
        return -number if number is not None else None
    return positive_id(text, maximum)
