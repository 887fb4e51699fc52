"""A clinician's written note (on an alert, an assessment, the record): what makes one acceptable."""

from __future__ import annotations

from backcoach.core.errors import InvalidInput

MAX_NOTE = 2000


def check_note(note: str, field: str = "note") -> str:
    """The note without its surrounding blanks: 1 to MAX_NOTE printable characters (new lines and
    tabs allowed). InvalidInput otherwise, naming `field`."""
    cleaned = note.strip()
    if not 1 <= len(cleaned) <= MAX_NOTE:
        raise InvalidInput(field, f"write a note of 1 to {MAX_NOTE} characters: what you found, did or decided")
    if any(not (ch.isprintable() or ch in "\n\t") for ch in cleaned):
        raise InvalidInput(field, "write the note in letters, numbers and punctuation")
    return cleaned
