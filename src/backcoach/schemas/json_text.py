"""One way to read JSON that a person or a client gives: profile files, answer files, imports.

Python's reader accepts things that are not JSON (NaN, Infinity), and fails in ways that are not
a clear message (a number of 5,000 digits, nesting deep enough to exhaust the stack, a file that
is not UTF-8). Here each of those is one sentence, raised as `InvalidInput` (or the subclass a
caller asks for), so every face answers it in one line and nothing is stored.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from backcoach.core.errors import InvalidInput


class _NotJson(ValueError):
    pass


def _not_json(constant: str) -> Any:
    raise _NotJson(f"{constant} is not a JSON number")


def _refused(field: str, problem: str) -> InvalidInput:
    return InvalidInput(field, problem, problem)  # the sentence names the file already


def parse_json(text: str, where: str) -> Any:
    """The JSON value in `text`; `where` names it in the message (a file name, "the body")."""
    try:
        return json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as error:
        raise _refused("json", f"{where}: not valid JSON (line {error.lineno}, column {error.colno})") from None
    except RecursionError:
        raise _refused("json", f"{where}: nested too deeply to be a backcoach file") from None
    except _NotJson as error:  # NaN or Infinity
        raise _refused("json", f"{where}: {error}") from None
    except ValueError:  # Python refuses integers of thousands of digits
        raise _refused("json", f"{where}: a number in it is far too long") from None


MAX_FILE_BYTES = 1024 * 1024  # a profile or answer file is a few hundred bytes
MAX_IMPORT_BYTES = 64 * 1024 * 1024  # years of daily sessions fit in a few megabytes


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or one sentence saying why not. A pipe,
    a directory or a device (/dev/zero) is refused at once: it is opened without waiting for a
    writer, and checked before anything is read, so nothing hangs or fills the memory."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise _refused("file", f"{path}: cannot read the file ({error.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise _refused("file", f"{path}: not a file (a folder, a pipe or a device); give a JSON file")
        with os.fdopen(handle, "rb", closefd=False) as file:
            raw = file.read(limit + 1)
    except OSError as error:
        raise _refused("file", f"{path}: cannot read the file ({error.strerror})") from None
    finally:
        os.close(handle)
    if len(raw) > limit:
        raise _refused("file", f"{path}: the file is too large for a backcoach file (over {limit // 1024} KB)")
    return raw


def read_json_file(path: Path, limit: int = MAX_FILE_BYTES) -> Any:
    """The JSON in a file: one sentence if it cannot be read, is not UTF-8, or is not JSON."""
    return parse_json(decode_utf8(read_regular_file(path, limit), str(path)), str(path))


def decode_utf8(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _refused("file", f"{where}: not UTF-8 text; save it as UTF-8 and try again") from None
