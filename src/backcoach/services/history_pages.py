"""One person's history a page at a time, newest first: each page is a few indexed queries,
however long the history (the full export stays for exports).

A page ends with a cursor, `next`: given back as `before`, it asks for the sessions older than
the last one on the page. Pages read one after the other hold every session once, newest first,
and a session saved meanwhile does not move anything between pages (it is newer than them all).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backcoach.core.errors import InvalidInput
from backcoach.core.history import SessionRecord
from backcoach.services.context import Scope
from backcoach.storage.repository import MAX_ID

DEFAULT_PAGE = 20
MAX_PAGE = 100
CURSOR_PATTERN = "^[1-9][0-9]{0,18}$"  # what `next` is made of: give it back as it was given
CURSOR = re.compile(CURSOR_PATTERN)


@dataclass(frozen=True)
class HistoryPage:
    sessions: list[SessionRecord]  # newest first, each with its outcomes and check-in
    next: str | None  # the cursor for the older sessions, or None when there are none


def history_page(scope: Scope, limit: int = DEFAULT_PAGE, before: str | None = None) -> HistoryPage:
    """Up to `limit` sessions, the newest, or those older than the page that gave `before`."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput("limit", f"give a whole number from 1 to {MAX_PAGE}, not {limit}")
    older_than = None
    if before is not None:
        if not CURSOR.fullmatch(before) or int(before) > MAX_ID:
            raise InvalidInput("before", "give the `next` of the page before, as it was given")
        older_than = int(before)
    found = scope.repo.past.page(limit + 1, older_than)  # one more than asked: is there an older page?
    sessions = found[:limit]
    return HistoryPage(sessions, str(sessions[-1].id) if len(found) > limit else None)
