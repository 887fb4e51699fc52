"""The hard safety rules of prescribing, as a property over generated profiles (answers to the warning
signs included), exercises paused for pain and drafts of any catalogue exercises: a prescription
is saved only when nothing in it is one the patient said they cannot do, nothing is paused because
it hurt and not cleared, and no warning sign stands; otherwise it is refused with one message and
nothing is stored (no version, no prescription, no audit event of a change)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backcoach.core.access import Actor, Role
from backcoach.core.planner import starting_dose
from backcoach.core.prescription import Row
from backcoach.core.profile import Profile, ruled_out_because
from backcoach.services import clinic, prescribing, programs
from backcoach.services.clearances import pause_for_pain, standing_warning, unavailable
from backcoach.services.context import App, Scope
from backcoach.services.prescribing import Draft, PrescriptionRefused
from tests.clinic.helpers import Riverside, riverside
from tests.strategies import examples, profiles

NUMBERS = itertools.count()


@pytest.fixture
def place(app: App) -> Riverside:
    return riverside(app)


def exercise_ids(app: App) -> list[str]:
    return sorted(e.id for e in app.catalogue if not e.is_aerobic)


@settings(max_examples=examples(400), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profile=profiles(), data=st.data())
def test_a_prescription_never_breaks_a_hard_rule(place: Riverside, profile: Profile, data: st.DataObject) -> None:
    app, pat = place.clinic.app, place.pat.actor
    number = next(NUMBERS)
    entry, _ = clinic.invite_patient(app, pat, f"Patient {number}", f"p{number}@home.example")
    scope = Scope(app, Actor(Role.patient, entry.person_id, None, entry.clinic_id), entry.person_id)
    programs.set_profile(scope, profile)
    ids = exercise_ids(app)
    for hurt in data.draw(st.lists(st.sampled_from(ids), max_size=2, unique=True), label="paused"):
        pause_for_pain(scope, hurt, "It hurt.", None)
    paused = unavailable(scope)
    # Half the drafts keep to what this patient may do, so saving is tried as often as refusing.
    fine = [i for i in ids if i not in paused and ruled_out_because(profile, app.catalogue.get(i)) is None]
    keep: bool = data.draw(st.booleans(), label="keep to what fits")
    pool = fine if fine and keep else ids
    chosen = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=6, unique=True), label="draft")
    rows = tuple(Row(i, starting_dose(app.catalogue.get(i), profile.sessions_per_day)) for i in chosen)
    unsafe = standing_warning(scope) is not None or any(
        i in paused or ruled_out_because(profile, app.catalogue.get(i)) is not None for i in chosen
    )
    before = programs.program_versions(scope)
    changes = len(clinic.audit_trail(app, place.admin.actor, "program_prescribed", None, entry.public_id))
    event("refused" if unsafe else "saved")
    try:
        saved = prescribing.prescribe(app, pat, entry.public_id, Draft(rows))
    except PrescriptionRefused as refused:
        assert unsafe, refused.message  # starting doses of a few exercises are always good input
        assert refused.message.startswith("Nothing was saved.") and refused.problems
        assert programs.program_versions(scope) == before
        assert prescribing.limits_in_force(scope) is None
        after = clinic.audit_trail(app, place.admin.actor, "program_prescribed", None, entry.public_id)
        assert len(after) == changes
        return
    assert not unsafe
    assert standing_warning(scope) is None
    assert [p.id for p in saved.exercises] == list(chosen)
    for planned in saved.exercises:
        assert planned.id not in paused
        assert ruled_out_because(profile, planned.exercise) is None
    assert programs.active_program(scope).version == saved.version
