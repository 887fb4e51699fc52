"""The terminal coach: plays a session step by step, with big countdowns and one key to stop.

It is a thin screen over `core.session_run.SessionRun`, which holds every rule. Time comes from
an injected clock and keys from an injected key source, so a test plays a whole session in
milliseconds. On a terminal the coach draws one full screen with Rich's Live display; on
anything else (a pipe, a test) it prints one line per step instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from rich.console import Console, RenderableType
from rich.live import Live
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backcoach.cli.coach.clock import Clock
from backcoach.cli.coach.keys import BACKSPACE, ENTER, KeySource
from backcoach.cli.coach.view import (
    ANSWER_KEYS,
    Dialog,
    Place,
    dialog_body,
    footer,
    header,
    pain_panel,
    screen,
    step_body,
    step_facts,
)
from backcoach.core.dose_text import describe_single_dose
from backcoach.core.pain_stop import (
    ASKED_PLACES,
    KIND_WORDS,
    PLACE_WORDS,
    OptionKind,
    PainAction,
    PainDecision,
    PainReport,
)
from backcoach.core.planner import PlannedExercise
from backcoach.core.rules import Difficulty, EndReason, OutcomeStatus
from backcoach.core.session_run import ExerciseOutcome
from backcoach.core.session_steps import Step, StepKind

T = TypeVar("T")

GO_ON = {ENTER, "\r", " "}
TICK = 1.0  # the countdown shows whole seconds; a key press still wakes the coach at once
OPTION_KEYS = "123456789abcdefgijklmnoprtuvwxyz"  # no h, q or s: those keys mean something else


PAIN_KINDS = tuple(KIND_WORDS.items())
DIFFICULTY_WORDS = {Difficulty.easy: "Easy", Difficulty.right: "About right", Difficulty.hard: "Hard"}
STATUS_WORDS = {
    OutcomeStatus.done: "done",
    OutcomeStatus.skipped: "skipped",
    OutcomeStatus.stopped_for_pain: "stopped for pain",
}
RESTART_NOTES = {
    OptionKind.easier_dose: "An easier dose now: fewer or shorter repeats.",
}
NOT_SAVED = "This was a try-out with a profile file, so nothing was saved. Run `backcoach setup` to keep a history."
SAVED = "Saved. See how you are doing with `backcoach progress`."


@dataclass(frozen=True)
class CheckIn:
    pain_after: int | None = None  # None: the person skipped the question
    difficulty: Difficulty | None = None


@dataclass(frozen=True)
class SessionResult:
    """What a session produced, for whoever stores it."""

    end_reason: EndReason
    outcomes: tuple[ExerciseOutcome, ...]
    check_in: CheckIn
    seconds: float
    pain_message: str | None = None


class Playable(Protocol):
    """What the coach drives: the core `SessionRun` (nothing saved), or the application
    layer's `LiveSession`, which saves each change as it happens."""

    @property
    def ended(self) -> bool: ...
    @property
    def end_reason(self) -> EndReason | None: ...
    @property
    def current(self) -> Step | None: ...
    @property
    def current_exercise(self) -> PlannedExercise | None: ...
    @property
    def outcomes(self) -> list[ExerciseOutcome]: ...
    @property
    def steps(self) -> list[Step]: ...
    @property
    def index(self) -> int: ...
    @property
    def exercises(self) -> list[PlannedExercise]: ...
    @property
    def awaiting_choice(self) -> PainDecision | None: ...
    @property
    def saves(self) -> bool: ...  # whether each change is saved as it happens
    def progress(self) -> tuple[int, int]: ...
    def go_on(self) -> ExerciseOutcome | None: ...
    def skip_exercise(self) -> ExerciseOutcome: ...
    def this_hurts(self, report: PainReport) -> PainDecision: ...
    def choose(self, option_id: str) -> ExerciseOutcome | None: ...
    def quit(self) -> ExerciseOutcome | None: ...


class TerminalCoach:
    def __init__(
        self,
        run: Playable,
        clock: Clock,
        keys: KeySource,
        console: Console,
        on_outcome: Callable[[ExerciseOutcome], None] | None = None,
    ) -> None:
        self.run = run
        self.clock = clock
        self.keys = keys
        self.console = console
        self.on_outcome = on_outcome
        self.question: str | None = None  # which question is on screen, if any: scripts wait on it
        self.dialog: Dialog | None = None  # the question on screen, with its options
        self._elapsed = 0.0  # seconds into the current step, not counting time spent in a dialog
        self._live: Live | None = None
        self._seconds = 0.0
        self._check_in = CheckIn()
        self._pain_message: str | None = None
        self._note: str | None = None  # how to do the rest of this exercise, after a pain stop

    # The whole session -----------------------------------------------------------------

    def run_session(self) -> SessionResult:
        """Play every step, ask the check-in, print the summary. Ctrl-C counts as quitting."""
        started = self.clock.now()
        with self._screen():
            try:
                waiting = self.run.awaiting_choice
                if waiting is not None:  # it was left mid-choice (here, or on another device)
                    self._offer(waiting)
                while not self.run.ended:
                    self._play(self._current())
            except (KeyboardInterrupt, EOFError):
                if not self.run.ended:
                    self._report(self.run.quit())
            self._close()
            self._seconds = self.clock.now() - started
            try:
                self._check_in = self._ask_check_in()
            except (KeyboardInterrupt, EOFError):
                self._close()
        self.print_summary()
        return self.result()

    def result(self) -> SessionResult:
        if self.run.end_reason is None:
            raise RuntimeError("the session has not ended")
        return SessionResult(
            self.run.end_reason, tuple(self.run.outcomes), self._check_in, self._seconds, self._pain_message
        )

    # One step --------------------------------------------------------------------------

    def _current(self) -> Step:
        step = self.run.current
        if step is None:
            raise RuntimeError("the session has ended")
        return step

    def _play(self, step: Step) -> None:
        """Run one step until it ends, or until a key changes what comes next."""
        self._elapsed = 0.0
        self._announce(step)
        while True:
            self._refresh()
            if step.kind is not StepKind.position and self._elapsed >= step.seconds:
                self._report(self.run.go_on())
                return
            before = self.clock.now()
            key = self.keys.read(self._timeout(step))
            self._elapsed += self.clock.now() - before
            if key is not None and self._on_key(key.lower()):
                return

    def _timeout(self, step: Step) -> float:
        if step.kind is StepKind.position:
            return TICK
        to_next_second = TICK - self._elapsed % TICK
        return max(0.01, min(step.seconds - self._elapsed, to_next_second))

    def _on_key(self, key: str) -> bool:
        """Act on a key. True if the step is over."""
        if key in GO_ON:
            self._report(self.run.go_on())
            return True
        if key == "s":
            self._say("Skipped.")
            self._report(self.run.skip_exercise())
            return True
        if key == "h":
            self._this_hurts()
            return True
        if key == "p":
            self._pause()
            return False
        if key == "q" and self._confirm("quit", "End the session now? What you did so far is saved."):
            self._report(self.run.quit())
            return True
        return False

    def _report(self, outcome: ExerciseOutcome | None) -> None:
        if outcome is None:
            return
        self._note = None
        if self.on_outcome is not None:
            self.on_outcome(outcome)

    # This hurts ------------------------------------------------------------------------

    def _this_hurts(self) -> None:
        title, style = "This hurts", "bold red"
        kind = self._choose("pain_kind", title, "What does it feel like?", PAIN_KINDS, style=style)
        score = self._number("pain_score", title, "How bad is it now, from 0 (none) to 10 (worst)?", style=style)
        places = [(place, PLACE_WORDS[place]) for place in ASKED_PLACES]
        place = self._choose("pain_place", title, "Where do you feel it?", places, style=style)
        if kind is None or score is None or place is None:
            raise RuntimeError("a pain question was skipped")
        recorded = len(self.run.outcomes)
        decision = self.run.this_hurts(PainReport(kind, score, place))
        if decision.action is PainAction.end_session:
            self._pain_message = decision.message
            self._say(f"[bold red]{escape(decision.message)}[/bold red]")
            for outcome in self.run.outcomes[recorded:]:  # none if it hurt in the rest between exercises
                self._report(outcome)
            return
        self._offer(decision)

    def _offer(self, decision: PainDecision) -> None:
        """The options after mild pain; also where a resumed session with a choice waiting starts."""
        options = [(option, option.label) for option in decision.options]
        chosen = self._choose("pain_option", "This hurts", decision.message, options, style="yellow")
        if chosen is None:
            raise RuntimeError("the pain options were skipped")
        self._report(self.run.choose(chosen.id))
        if chosen.kind in RESTART_NOTES and not self.run.ended:
            self._note = RESTART_NOTES[chosen.kind]
            self._say(escape(self._note))

    # Questions -------------------------------------------------------------------------

    def _choose(
        self,
        question: str,
        title: str,
        prompt: str,
        options: Sequence[tuple[T, str]],
        *,
        may_skip: bool = False,
        style: str = "yellow",
        banner: RenderableType | None = None,
    ) -> T | None:
        keys = OPTION_KEYS[: len(options)]
        hints = ("Press Enter to leave this one out.",) if may_skip else ()
        shown = [(key, label) for key, (_, label) in zip(keys, options, strict=True)]
        self._open(question, Dialog(title, prompt, shown, style=style, banner=banner, hints=hints))
        while True:
            key = self._next_key()
            key = key.lower()
            if key in keys:
                value, label = options[keys.index(key)]
                self._close(label)
                return value
            if may_skip and key in GO_ON:
                self._close("(left out)")
                return None

    def _number(
        self,
        question: str,
        title: str,
        prompt: str,
        *,
        may_skip: bool = False,
        style: str = "yellow",
        banner: RenderableType | None = None,
    ) -> int | None:
        """A score from 0 to 10, typed and confirmed with Enter."""
        hints = ["Type a number, then press Enter."]
        if may_skip:
            hints.append("Press Enter alone to leave this one out.")
        dialog = Dialog(title, prompt, typed="", style=style, banner=banner, hints=tuple(hints))
        self._open(question, dialog)
        typed = ""
        while True:
            key = self._next_key()
            if key.isascii() and key.isdigit() and len(typed) < 2:
                typed += key
            elif key in (BACKSPACE, "\b"):
                typed = typed[:-1]
            elif key in GO_ON and not typed and may_skip:
                self._close("(left out)")
                return None
            elif key in GO_ON:
                if typed and int(typed) <= 10:
                    self._close(typed)
                    return int(typed)
                typed = ""
                dialog = replace(dialog, problem="Type a number from 0 to 10, then press Enter.")
            self.dialog = replace(dialog, typed=typed)
            self._refresh()

    def _confirm(self, question: str, prompt: str) -> bool:
        options = [("y", "Yes, stop now"), ("n", "No, carry on")]
        self._open(question, Dialog("Stop?", prompt, options, hints=("Enter carries on.",)))
        while True:
            key = self._next_key()
            if key.lower() == "y":
                self._close("yes")
                return True
            if key.lower() == "n" or key in GO_ON:
                self._close("no")
                return False

    def _pause(self) -> None:
        """Stop the clock until the person is ready: the time waiting here is not counted."""
        self._open("paused", Dialog("Paused", "The clock has stopped. Press P or Enter to carry on.", style="cyan"))
        while True:
            key = self._next_key()
            if key.lower() == "p" or key in GO_ON:
                self._close("carry on")
                return

    def _next_key(self) -> str:
        """Wait as long as it takes for a key, redrawing now and then in case the window changed size."""
        while True:
            key = self.keys.read(TICK)
            if key is not None:
                return key
            self._refresh()

    def _open(self, question: str, dialog: Dialog) -> None:
        self.question = question
        self.dialog = dialog
        self._say(f"[bold]{escape(dialog.prompt)}[/bold]")
        for key, label in dialog.options:
            self._say(f"  {key}  {escape(label)}")
        self._refresh()

    def _close(self, answer: str | None = None) -> None:
        if answer is not None:
            self._say(f"  > {escape(answer)}")
        self.question = None
        self.dialog = None

    def _ask_check_in(self) -> CheckIn:
        banner = self._end_banner()
        self._say("")
        prompt = "How much pain do you have now, from 0 (none) to 10 (worst)?"
        pain = self._number("checkin_pain", "Check-in", prompt, may_skip=True, banner=banner)
        felt = list(DIFFICULTY_WORDS.items())
        prompt = "How hard did the session feel?"
        difficulty = self._choose("checkin_difficulty", "Check-in", prompt, felt, may_skip=True, banner=banner)
        return CheckIn(pain, difficulty)

    def _end_banner(self) -> RenderableType:
        if self._pain_message is not None:
            return pain_panel(self._pain_message)
        if self.run.end_reason is EndReason.finished:
            return Panel(Text("Well done: you finished the session.", style="bold"), border_style="green")
        return Panel(Text("You stopped the session.", style="bold"), border_style="yellow")

    # Drawing ---------------------------------------------------------------------------

    @contextmanager
    def _screen(self) -> Iterator[None]:
        if not self.console.is_terminal:
            yield
            return
        # The alternate screen: the session owns the whole terminal and leaves no trail behind.
        with Live(console=self.console, screen=True, auto_refresh=False, transient=True) as live:
            self._live = live
            try:
                yield
            finally:
                self._live = None

    def _refresh(self) -> None:
        if self._live is not None:
            self._live.update(self._view(), refresh=True)

    def _view(self) -> RenderableType:
        step = self.run.current
        place = self._place(step)
        if step is None:
            body = dialog_body(self.dialog) if self.dialog else Text(" ")
            return screen(Text("Check-in", style="bold"), body, ANSWER_KEYS)
        planned = self.run.current_exercise
        start_lines = len(planned.exercise.start) if planned else 0
        body = dialog_body(self.dialog) if self.dialog else step_body(step, self._elapsed, start_lines)
        top = header(step, place, self._note)
        return screen(top, body, footer(place, self.console.width, answering=self.dialog is not None))

    def _place(self, step: Step | None) -> Place:
        steps, index = self.run.steps, self.run.index
        starts = [n for n, s in enumerate(steps) if s.kind is StepKind.position]
        number = sum(1 for n in starts if n <= index)
        following = steps[index + 1] if index + 1 < len(steps) else None
        coming_up = (
            step is not None
            and step.kind is StepKind.rest
            and following is not None
            and following.kind is StepKind.position
            and following.exercise_id == step.exercise_id
        )
        behind, total = self.run.progress()
        done = float(behind)
        if step is not None and step.kind is not StepKind.position:
            done += min(self._elapsed, step.seconds)
        return Place(number + int(coming_up), len(starts), done, total, coming_up)

    def _say(self, markup: str) -> None:
        """A line for a console that is not a terminal: a readable record instead of a screen."""
        if not self.console.is_terminal:
            self.console.print(markup, soft_wrap=True)

    def _announce(self, step: Step) -> None:
        facts = " · ".join([step.kind.value.replace("_", " "), *step_facts(step)])
        length = f"{step.reps} reps, about {step.seconds} s" if step.kind is StepKind.reps else f"{step.seconds} s"
        timing = "" if step.kind is StepKind.position else f" ({length})"
        self._say(f"[bold]{escape(step.exercise_name)}[/bold] [dim]{facts}[/dim]: {escape(step.cue)}{timing}")
        for number, line in enumerate(step.details, start=1):
            self._say(f"  {number}. {escape(line)}")

    # The summary -----------------------------------------------------------------------

    def summary_rows(self) -> list[tuple[str, str, str]]:
        """(exercise name, what happened, dose in words), with exercises never reached last."""
        names = {p.id: p.exercise.name for p in self.run.exercises}
        rows = []
        for outcome in self.run.outcomes:
            status = STATUS_WORDS[outcome.status]
            if outcome.pain is not None:
                where = PLACE_WORDS[outcome.pain.place].lower()
                status += f" ({outcome.pain.kind.value}, {outcome.pain.score}/10, {where})"
            rows.append((names[outcome.exercise_id], status, describe_single_dose(outcome.dose)))
        ended = {o.exercise_id for o in self.run.outcomes}
        for planned in self.run.exercises:
            if planned.id not in ended:
                rows.append((planned.exercise.name, "not done", describe_single_dose(planned.dose)))
        return rows

    def print_summary(self) -> None:
        console = self.console
        console.print()
        if self._pain_message is not None:
            console.print(pain_panel(self._pain_message))
        table = Table(title="Your session", title_justify="left", expand=False)
        for column in ("Exercise", "Result", "Dose"):
            table.add_column(column)
        for row in self.summary_rows():
            table.add_row(*(Text(cell) for cell in row))
        console.print(table)
        check_in = self._check_in
        pain = "not given" if check_in.pain_after is None else f"{check_in.pain_after} out of 10"
        felt = "not given" if check_in.difficulty is None else DIFFICULTY_WORDS[check_in.difficulty].lower()
        minutes, seconds = divmod(round(self._seconds), 60)
        console.print(f"Time: {minutes} min {seconds} s")
        console.print(f"Pain now: {pain}")
        console.print(f"How hard it felt: {felt}")
        console.print(f"[dim]{SAVED if self.run.saves or self.on_outcome is not None else NOT_SAVED}[/dim]")
