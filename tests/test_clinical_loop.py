"""The clinical rules as properties over generated histories, through the application layer.

Each example is a person with a generated profile and eight to ten weeks of generated life:
sessions logged with pain before and after, how hard they felt, pain stops of every kind,
warning signs answered at a re-screen, clearances recorded (some before, some long after), and
paused exercises cleared by a professional. Every use case runs as the faces run it. After each
day, and over the stored record at the end, these hold:

- no growth in a review window with a check-in of 7 or more, or a rise of 2 or more from the
  program's starting pain;
- an exercise paused because it hurt is never in a session or a new program version until it
  is cleared;
- no program and no session while a warning sign is not cleared;
- no dose outside its sources' ranges, no program longer than the minutes chosen, one field per
  growth step, and nothing the person said they cannot do.

All people share one database (each one is its own patient, as in a clinic), so an example
costs only its own writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from backcoach.core.dose_steps import changed_fields
from backcoach.core.errors import NotNow, ProgramPaused
from backcoach.core.exercise import Region
from backcoach.core.pain_stop import PainKind, PainPlace, PainReport
from backcoach.core.pain_window import pain_window
from backcoach.core.profile import Profile, ruled_out_because
from backcoach.core.rules import ACT_RISE, CRITICAL_PAIN
from backcoach.core.screening import ALL_QUESTION_IDS, QUESTION_IDS
from backcoach.core.timing import session_seconds
from backcoach.services import clearances, programs, screening, sessions
from backcoach.services.context import Actor, App, Role, Scope, patient_scope
from backcoach.services.review import rescreen_due
from backcoach.storage import tables as t
from tests.conftest import MovableNow
from tests.strategies import profiles, red_flags

START = datetime(2026, 3, 2, 8, 0)


@dataclass(frozen=True)
class Stop:
    which: int  # index into what is due
    kind: PainKind
    score: int
    place: PainPlace


@dataclass(frozen=True)
class Day:
    session: tuple[int, int, str, Stop | None] | None  # change in pain before, after - before, difficulty, a stop
    sign: str | None  # a warning sign answered "yes" at this day's re-screen, if one is asked
    clear_warning: bool  # a professional checks the person today, if a sign is standing
    clear_paused: bool  # a professional says the first paused exercise is fine


@dataclass(frozen=True)
class History:
    pain: int  # the pain the days move around
    drift: int  # points a fortnight: pain easing, steady or creeping up
    days: list[Day]

    def pain_on(self, index: int, day: Day) -> tuple[int, int]:
        assert day.session is not None
        level = self.pain + self.drift * (index // 14) + day.session[0]
        before = min(10, max(0, level))
        return before, min(10, max(0, before + day.session[1]))


stops = st.builds(
    Stop,
    st.integers(0, 5),
    st.sampled_from([PainKind.mild] * 4 + list(PainKind)),  # mostly mild discomfort
    st.integers(0, 10),
    st.sampled_from([PainPlace.lower_back] * 4 + list(PainPlace)),
)
sessions_done = st.tuples(
    st.sampled_from([-1, 0, 0, 0, 1, 3]),  # from day to day pain wobbles, and now and then jumps
    st.sampled_from([-1, -1, 0, 0, 0, 1, 2]),  # a session mostly eases pain a little, or leaves it
    st.sampled_from(["easy", "easy", "easy", "right", "hard"]),
    st.one_of(*[st.none()] * 10, stops),
)
days = st.builds(
    Day,
    st.one_of(st.none(), sessions_done, sessions_done, sessions_done),
    st.one_of(*[st.none()] * 15, st.sampled_from(["cancer_history", "fever", "saddle_numbness"])),
    st.integers(0, 2).map(lambda n: n == 0),
    st.integers(0, 6).map(lambda n: n == 0),
)
histories = st.builds(
    History, st.integers(0, 8), st.sampled_from([-1, 0, 0, 1]), st.lists(days, min_size=56, max_size=70)
)


@pytest.fixture(scope="module")
def shared_app(tmp_path_factory: pytest.TempPathFactory) -> tuple[App, MovableNow]:
    from backcoach.catalogue.loader import load_catalogue
    from backcoach.storage.database import open_database
    from backcoach.storage.repository import Database

    now = MovableNow(START)
    url = f"sqlite:///{tmp_path_factory.mktemp('loop') / 'loop.sqlite3'}"
    return App(Database(open_database(url)), load_catalogue(), now), now


def new_patient(app: App) -> Scope:
    person = app.database.add_person(app.now())
    return patient_scope(app, Actor(Role.patient, person.id), person.id)


@dataclass
class Remembered:
    """The test's own account of the warning signs, kept apart from the app's: a "yes" stays open
    until a professional checks the person; a checked fact of the person's history (a cancer long
    ago) stays checked, while a symptom (a fever) or an emergency sign is new each time."""

    open: list[str]
    checked: set[str]

    HISTORY = frozenset({"cancer_history"})

    def answered(self, sign: str) -> None:
        if not (sign in self.HISTORY and sign in self.checked):
            self.open.append(sign)

    def cleared(self) -> None:
        self.checked |= set(self.open)
        self.open.clear()

    @property
    def blocked(self) -> bool:
        return bool(self.open)


def answer_rescreen(scope: Scope, day: Day, profile: Profile, signs: Remembered) -> None:
    asked = ALL_QUESTION_IDS if Region.neck in profile.regions else QUESTION_IDS  # as every face asks them
    answers: dict[str, bool] = dict.fromkeys(asked, False)
    if day.sign is not None:
        answers[day.sign] = True
        signs.answered(day.sign)
    screening.rescreen(scope, answers)


def live_one_day(scope: Scope, history: History, index: int, profile: Profile, signs: Remembered) -> None:
    day = history.days[index]
    if rescreen_due(scope):
        answer_rescreen(scope, day, profile, signs)
    if day.clear_warning and signs.blocked:
        screening.clear_warning(scope, "Dr Test", scope.now().date())
        signs.cleared()
    paused = clearances.paused(scope)
    if day.clear_paused and paused:
        programs.clear_exercise(scope, paused[0].exercise_id, "my physiotherapist", scope.now().date())
    if day.session is None:
        return
    _, _, felt, stop = day.session
    before, after = history.pain_on(index, day)
    if signs.blocked:
        with pytest.raises(ProgramPaused):
            sessions.start(scope, resume=False, pain_before=before)
        with pytest.raises(ProgramPaused):
            sessions.log_session(scope, before, after, felt, [], {})
        return
    try:
        _, due = sessions.due_now(scope)
    except NotNow:
        return
    blocked = set(clearances.unavailable(scope))
    assert not blocked & {p.id for p in due}, "a paused exercise was due"
    assert all(ruled_out_because(profile, p.exercise) is None for p in due)
    pain_stops = {}
    if stop is not None and due:
        pain_stops[due[stop.which % len(due)].id] = PainReport(stop.kind, stop.score, stop.place)
    try:
        sessions.log_session(scope, before, after, felt, [], pain_stops)
    except NotNow:
        return


def check_now(scope: Scope, profile: Profile, signs: Remembered) -> None:
    assert (clearances.standing_warning(scope) is not None) == signs.blocked
    if signs.blocked:
        with pytest.raises(ProgramPaused):
            programs.active_program(scope)
    found = programs.current_program(scope)
    if found is None or found.paused:
        return
    assert session_seconds([p.seconds for p in found.exercises]) <= profile.minutes_per_session * 60
    for planned in found.exercises:
        assert ruled_out_because(profile, planned.exercise) is None, planned.id
        for name, limit in planned.exercise.dose_limits().items():
            value = getattr(planned.dose, name)
            assert value is None or (limit is not None and limit[0] <= value <= limit[1]), (planned.id, name)
        times = planned.dose.times_per_day
        assert times is None or times <= profile.sessions_per_day


def check_record(scope: Scope) -> None:
    """Over everything stored: growth only in calm windows, one field a step, pauses kept."""
    versions = {v.id: v for v in programs.program_versions(scope)}
    with scope.app.database.sessions() as db:
        reviews = db.scalars(select(t.Review).where(t.Review.person_id == scope.patient_id).order_by(t.Review.id)).all()
        pauses = db.scalars(select(t.PausedExercise).where(t.PausedExercise.person_id == scope.patient_id)).all()
    ordered = sorted(versions.values(), key=lambda v: v.version)
    previous = {v.id: ordered[i - 1] for i, v in enumerate(ordered) if i}
    for row in reviews:
        version = versions.get(row.program_id) if row.program_id else None
        if version is None:
            continue
        grew = {c["exercise_id"] for c in version.changes if c["action"] in {"grow", "harder"}}
        if not grew:
            continue
        window = [s for s in scope.repo.history(after=row.period_start) if s.started_at <= row.reviewed_at]
        pain = pain_window(window)
        baseline = scope.repo.profile(version.profile_id).pain_now
        assert pain.worst is not None and pain.worst < CRITICAL_PAIN, (pain, version.reason)
        assert pain.typical is not None and pain.typical - baseline < ACT_RISE, (pain, baseline)
        before = {p.id: p.dose for p in previous[version.id].exercises}
        for planned in version.exercises:
            change = next((c for c in version.changes if c["exercise_id"] == planned.id), None)
            if change is not None and change["action"] == "grow":
                assert len(changed_fields(before[planned.id], planned.dose)) == 1, (before[planned.id], planned.dose)
    for pause in pauses:
        until = pause.cleared_at or datetime.max
        for version in ordered:
            if pause.paused_at < version.created_at < until and version.changes:  # made by a review
                assert pause.exercise_id not in {p.id for p in version.exercises}, (pause.exercise_id, version.reason)
            if pause.paused_at < version.created_at < until and not version.changes and version.reason:
                earlier = previous.get(version.id)
                carried = earlier is not None and pause.exercise_id in {p.id for p in earlier.exercises}
                assert carried or pause.exercise_id not in {p.id for p in version.exercises}, version.reason


PARTS = 4  # 4 x 250 = 1,000 histories under the thorough profile (CI), spread over the test workers


def histories_per_part() -> int:
    """250 under the thorough profile; a handful under the quick one, since each is eight weeks of use."""
    return 1000 // PARTS if settings.get_current_profile_name().startswith("thorough") else 6


@pytest.mark.parametrize("part", range(PARTS))
@settings(max_examples=histories_per_part(), suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(profile=profiles(red_flags(any_true=False)), history=histories)
def test_the_clinical_rules_hold_over_generated_histories(
    shared_app: tuple[App, MovableNow], part: int, profile: Profile, history: History
) -> None:
    app, now = shared_app
    now.value = START
    scope = new_patient(app)
    programs.set_profile(scope, profile)
    signs = Remembered([], set())
    for index in range(len(history.days)):
        now.advance(days=1)
        live_one_day(scope, history, index, profile, signs)
        check_now(scope, profile, signs)
    check_record(scope)
