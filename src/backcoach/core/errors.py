"""One exception hierarchy for everything a person or a client can get wrong, or ask too early.

Every error the app raises on purpose is a `BackcoachError` whose message is one plain sentence
for a person. Each face maps the kinds once: the command line to a message and an exit code
(`cli/common.py`), the web app to an HTTP problem response or an error page (`web/errors.py`).

    BackcoachError
    ├── InvalidInput        input that cannot be used; nothing was stored (`field` names it)
    │   └── TransferError   a file that cannot be imported
    │       └── NotEmpty    ...because the database already has history (an import sent twice, say)
    ├── NotFound            no such thing, or not one of this patient's
    ├── NotAllowed          this actor may not do this for this patient
    │   └── NotSignedIn     clinic mode: nobody is signed in, or the sign-in has ended
    ├── StorageUnavailable  the database cannot be opened or prepared
    └── NotNow              the request is fine, but the state does not allow it yet
        ├── NoProgram       no program has been made yet
        ├── ProgramPaused   the program is paused (a warning sign, or nothing fits)
        ├── NothingDue      nothing in the program is due in this session
        ├── RestToday       pain is 7 or more and nothing gentle is due: rest, with advice
        ├── RescreenNeeded  pain rose at the last check-in: the warning signs come first
        ├── AlreadyRecorded the exercise already has an outcome in this session (or the same
        │                   thing was just recorded by another request)
        ├── SessionEnded    the session has ended: nothing more can be done in it
        ├── Busy            the same request (same Idempotency-Key) is still being processed
        └── TryLater        too many failed sign-ins in a row: wait `retry_after` seconds
"""

from __future__ import annotations


class BackcoachError(Exception):
    """Base of every error the app raises on purpose; `str(error)` is the message to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(BackcoachError):
    """Input that cannot be used. `field` names it (a form field, an option, a JSON path)."""

    def __init__(self, field: str, problem: str, message: str | None = None) -> None:
        super().__init__(message or f"{field}: {problem}")
        self.field = field
        self.problem = problem


class TransferError(InvalidInput, ValueError):
    """The file cannot be imported; nothing was changed."""

    def __init__(self, problem: str) -> None:
        super().__init__("file", problem, problem)


class NotEmpty(TransferError):
    """An import into a database that already has history: nothing was changed."""


class NotFound(BackcoachError):
    pass


class NotAllowed(BackcoachError):
    pass


class NotSignedIn(NotAllowed):
    def __init__(self, message: str = "Please sign in.") -> None:
        super().__init__(message)


class StorageUnavailable(BackcoachError):
    pass


class NotNow(BackcoachError):
    pass


class NoProgram(NotNow):
    def __init__(self, message: str = "There is no program yet.") -> None:
        super().__init__(message)


class ProgramPaused(NotNow):
    def __init__(self, reason: str) -> None:
        super().__init__(f"Your program is paused. {reason}")
        self.reason = reason


class NothingDue(NotNow):
    def __init__(self) -> None:
        super().__init__(
            "Nothing is due in this session: every exercise in your program has been done as often as it asks "
            "today. Well done. Come back tomorrow."
        )


class RestToday(NotNow):
    """Pain is too high for anything due today: only rest, with advice."""


class RescreenNeeded(NotNow):
    def __init__(self) -> None:
        super().__init__(
            "Your pain went up at your last check-in, so please answer the warning-sign questions again "
            "before the next session."
        )


class AlreadyRecorded(NotNow):
    pass


class SessionEnded(NotNow):
    def __init__(self, session_id: int) -> None:
        super().__init__(f"Session {session_id} has ended; start a new one.")


class Busy(NotNow):
    pass


class TryLater(NotNow):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many attempts that did not work. Try again in {retry_after} seconds.")
        self.retry_after = retry_after
