"""Where the terminal coach gets key presses: the real keyboard, or a script on a fake clock.

The coach never reads stdin itself. It asks a key source for one key, waiting at most a
given time, so the same coach runs on a terminal and in tests that never touch the wall clock.
"""

from __future__ import annotations

import codecs
import os
import select
import sys
import termios
import tty
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol

from backcoach.cli.coach.clock import FakeClock

ENTER = "\n"
BACKSPACE = "\x7f"


class KeySource(Protocol):
    def read(self, timeout: float) -> str | None:
        """One key, or None if no key came within `timeout` seconds."""
        ...


class TerminalKeys:
    """Single key presses from a terminal: no echo, no waiting for Enter.

    Use it as a context manager: the terminal's settings come back on exit, whatever happened.
    Ctrl-C still raises KeyboardInterrupt (cbreak mode keeps signals).
    """

    def __init__(self, fd: int | None = None) -> None:
        self.fd = sys.stdin.fileno() if fd is None else fd
        self._saved: list[Any] | None = None
        self._pending = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def __enter__(self) -> TerminalKeys:
        self._saved = termios.tcgetattr(self.fd)
        tty.setcbreak(self.fd)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._saved is not None:
            # Flush, so keys pressed at the very end do not spill into the shell.
            termios.tcsetattr(self.fd, termios.TCSAFLUSH, self._saved)
            self._saved = None

    def read(self, timeout: float) -> str | None:
        if not self._pending:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
            if not ready:
                return None
            chunk = os.read(self.fd, 64)
            if not chunk:
                raise EOFError("the terminal closed")
            text = self._decoder.decode(chunk)
            # Arrow and function keys arrive as one escape sequence; their letters are not commands.
            if text.startswith("\x1b"):
                return None
            self._pending = text
        if not self._pending:
            return None
        key, self._pending = self._pending[0], self._pending[1:]
        return ENTER if key == "\r" else key


@dataclass(frozen=True)
class Wait:
    """In a script: let this many seconds pass with no key."""

    seconds: float


@dataclass(frozen=True)
class Until:
    """In a script: press nothing more until this is true."""

    ready: Callable[[], bool]


class ScriptedKeys:
    """Keys typed by a script, for tests and demos. Waiting moves the fake clock, never the wall clock.

    The script holds keys (a string is typed one character at a time), `Wait`s and `Until`s.
    When the script has nothing to type, `idle` may supply a key; otherwise time passes.
    """

    def __init__(
        self,
        clock: FakeClock,
        script: Iterable[str | Wait | Until] = (),
        idle: Callable[[], str | None] | None = None,
        patience: float = 3600.0,
    ) -> None:
        self.clock = clock
        self.idle = idle
        self.patience = patience
        self._script: deque[str | Wait | Until] = deque()
        for item in script:
            self._script.extend(item if isinstance(item, str) else [item])
        self._waited = 0.0

    @property
    def finished(self) -> bool:
        return not self._script

    def read(self, timeout: float) -> str | None:
        while self._script:
            head = self._script[0]
            if isinstance(head, str):
                self._script.popleft()
                return self._typed(head)
            if isinstance(head, Wait):
                step = min(timeout, head.seconds)
                self._script[0] = Wait(head.seconds - step)
                if head.seconds - step <= 0:
                    self._script.popleft()
                self.clock.advance(step)
                return None
            if not head.ready():
                break
            self._script.popleft()
        key = self.idle() if self.idle else None
        if key is not None:
            return self._typed(key)
        self.clock.advance(timeout)
        self._waited += timeout
        if self._waited > self.patience:
            raise RuntimeError(f"the script has no key to give after {self.patience:.0f} s of waiting")
        return None

    def _typed(self, key: str) -> str:
        self._waited = 0.0
        return key
