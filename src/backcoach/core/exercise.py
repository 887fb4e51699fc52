"""What one catalogue exercise is: its names, body regions, steps, cautions and doses.

These models validate a catalogue entry. They hold no I/O: the loader reads the files
and hands their contents here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from backcoach.core.sources import GUIDELINES, SEEDS


class Kind(StrEnum):
    stretch = "stretch"
    strengthen = "strengthen"
    mobilise = "mobilise"
    aerobic = "aerobic"


class Region(StrEnum):
    neck = "neck"
    upper_back = "upper_back"
    middle_back = "middle_back"
    lower_back = "lower_back"
    hips = "hips"


class Position(StrEnum):
    lying_on_back = "lying_on_back"
    lying_on_front = "lying_on_front"
    all_fours = "all_fours"
    kneeling = "kneeling"
    sitting = "sitting"
    standing = "standing"
    moving = "moving"  # walking, cycling, water: the body moves through the activity


class Equipment(StrEnum):
    firm_surface = "firm_surface"
    cushion_or_book = "cushion_or_book"
    chair = "chair"
    bicycle = "bicycle"
    pool = "pool"


class Pace(StrEnum):
    steady = "steady"
    slow = "slow"


Sides = Literal["each", "alternate"]


class Movement(StrEnum):
    """The big movements an exercise makes, written in each file so that the precautions
    can be checked against them (`tests/test_catalogue_precautions.py`): a new file that
    bends the spine forward cannot forget to say what that means with osteoporosis."""

    spine_flexion = "spine_flexion"  # rounding the back or neck forward
    spine_extension = "spine_extension"  # arching the back
    spine_rotation = "spine_rotation"  # twisting the trunk, or rolling the knees to one side
    spine_side_bend = "spine_side_bend"  # bending the neck or trunk to one side
    deep_hip_bend = "deep_hip_bend"  # the knee comes up towards the chest, past a right angle at the hip
    legs_cross = "legs_cross"  # one leg crosses over the other


class Condition(StrEnum):
    """Health conditions that rule an exercise out or change it, asked in the profile."""

    osteoporosis = "osteoporosis"
    hip_replacement = "hip_replacement"
    pregnancy = "pregnancy"


class PrecautionEffect(StrEnum):
    avoid = "avoid"  # never prescribed to a person with the condition
    adapt = "adapt"  # prescribed, with the change `how` says


class Precaution(BaseModel):
    """What one condition means for one exercise, and the named guideline that says so."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    condition: Condition
    effect: PrecautionEffect
    why: str = Field(min_length=10)  # plain words for the person
    how: str | None = None  # for `adapt`: what to do differently
    source: str

    @field_validator("source")
    @classmethod
    def _source_is_known(cls, value: str) -> str:
        if value not in SEEDS and value not in GUIDELINES:
            raise ValueError(f"{value!r} is not a known source or guideline")
        return value

    @model_validator(mode="after")
    def _adapt_says_how(self) -> Precaution:
        if self.effect is PrecautionEffect.adapt and not self.how:
            raise FieldProblem("how", "an 'adapt' precaution must say how")
        return self


NUMBER_FIELDS: tuple[str, ...] = (
    "hold_seconds",
    "hold_breaths",
    "reps",
    "sets",
    "rest_seconds",
    "times_per_day",
    "times_per_week",
)
# Fields where zero makes no sense: a dose of zero reps is no dose at all.
AT_LEAST_ONE = {"hold_breaths", "reps", "sets", "times_per_day", "times_per_week", "hold_seconds"}


class FieldProblem(ValueError):
    """A problem found by a whole-model check that still belongs to one field."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field


def _as_pair(value: object) -> object:
    """Let a file write `5` for the range `[5, 5]`."""
    if isinstance(value, bool):
        return value  # let pydantic reject it with its own message
    if isinstance(value, int):
        return (value, value)
    return value


Range = Annotated[tuple[int, int], BeforeValidator(_as_pair)]


class DoseNumbers(BaseModel):
    """Every number a dose may carry, each a [min, max] range, or None when not given."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hold_seconds: Range | None = None
    hold_breaths: Range | None = None
    reps: Range | None = None
    sets: Range | None = None
    rest_seconds: Range | None = None
    times_per_day: Range | None = None
    times_per_week: Range | None = None
    sides: Sides | None = None

    @model_validator(mode="after")
    def _ranges_make_sense(self) -> DoseNumbers:
        for name in NUMBER_FIELDS:
            pair = getattr(self, name)
            if pair is None:
                continue
            low, high = pair
            floor = 1 if name in AT_LEAST_ONE else 0
            if low < floor:
                raise FieldProblem(name, f"{name} must be at least {floor}, got {low}")
            if high < low:
                raise FieldProblem(name, f"{name} range is upside down: [{low}, {high}]")
        if self.times_per_week is not None and self.times_per_week[1] > 7:
            raise FieldProblem("times_per_week", "times_per_week cannot exceed 7 (a week has 7 days)")
        return self

    def numbers(self) -> dict[str, tuple[int, int] | None]:
        return {name: getattr(self, name) for name in NUMBER_FIELDS}

    def is_empty(self) -> bool:
        return all(v is None for v in self.numbers().values()) and self.sides is None


class SourceDose(DoseNumbers):
    """A dose exactly as one seed document gives it."""

    source: str
    note: str | None = None

    @field_validator("source")
    @classmethod
    def _source_is_a_seed(cls, value: str) -> str:
        if value not in SEEDS:
            raise ValueError(f"{value!r} is not one of the source documents ({', '.join(sorted(SEEDS))})")
        return value


class GuidelineDose(DoseNumbers):
    """A dose from a named public guideline. It gives a number no seed gives, or a gentler
    start for one a seed does give (say, one set for beginners where a seed gives three);
    it never raises what the seeds allow (checked by `Exercise`)."""

    source: str
    note: str | None = None

    @field_validator("source")
    @classmethod
    def _source_is_a_guideline(cls, value: str) -> str:
        if value not in GUIDELINES:
            raise ValueError(f"{value!r} is not a known guideline ({', '.join(sorted(GUIDELINES))})")
        return value


class DefaultDose(DoseNumbers):
    """The dose a new program starts from, with the reason it was chosen."""

    why: str = Field(min_length=10)


NonEmptyText = Annotated[str, Field(min_length=1)]


class Exercise(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: NonEmptyText
    aliases: list[NonEmptyText] = []
    kind: list[Kind] = Field(min_length=1)
    regions: list[Region] = Field(min_length=1)
    # What it works, in the person's words, as the seeds describe it; the planner's reason
    # says this, so the curl-up is never said to strengthen the lower back itself.
    works: str = Field(min_length=10)
    position: Position
    movements: list[Movement]  # required, even if empty: precautions are checked against it
    muscles: list[NonEmptyText] = []
    equipment: list[Equipment] = []
    pace: Pace = Pace.steady
    start: list[NonEmptyText] = Field(min_length=1)
    action: list[NonEmptyText] = Field(min_length=1)
    cautions: list[NonEmptyText] = []
    precautions: list[Precaution] = []
    dosage: list[SourceDose] = Field(min_length=1)
    guideline_dose: GuidelineDose | None = None
    default_dose: DefaultDose
    easier: list[str] = []
    harder: list[str] = []
    notes: str | None = None

    @field_validator("works")
    @classmethod
    def _works_reads_after_it(cls, value: str) -> str:
        # The planner writes "It " + works + ".", so it must read on from "It".
        if not value[0].islower() or value.rstrip().endswith("."):
            raise ValueError('write it to follow "It", with no full stop: "strengthens the muscles of your tummy"')
        return value

    @field_validator("precautions")
    @classmethod
    def _one_precaution_per_condition(cls, value: list[Precaution]) -> list[Precaution]:
        conditions = [p.condition for p in value]
        if len(conditions) != len(set(conditions)):
            raise ValueError("precautions name the same condition twice")
        return value

    @model_validator(mode="after")
    def _default_within_sources(self) -> Exercise:
        seen = [d.source for d in self.dosage]
        if len(seen) != len(set(seen)):
            raise FieldProblem("dosage", "dosage lists the same source twice")
        if self.guideline_dose is not None:
            for name in NUMBER_FIELDS:
                pair, top = getattr(self.guideline_dose, name), self._seed_top(name)
                if pair is not None and top is not None and pair[1] > top:
                    raise FieldProblem(
                        f"guideline_dose.{name}",
                        f"{list(pair)} goes above the seeds' top of {top}; for a number a seed gives, "
                        "a guideline may only give a gentler start",
                    )
        allowed = self.dose_limits()
        for name, pair in self.default_dose.numbers().items():
            if pair is None:
                continue
            limit = allowed[name]
            if limit is None:
                raise FieldProblem(f"default_dose.{name}", f"it is set but no source gives a {name}")
            if pair[0] < limit[0] or pair[1] > limit[1]:
                raise FieldProblem(f"default_dose.{name}", f"{list(pair)} is outside the sources' range {list(limit)}")
        return self

    def dose_limits(self) -> dict[str, tuple[int, int] | None]:
        """The widest range the sources allow for each number: the union of the seeds' ranges
        and the guideline's. The guideline can only lower the bottom of a number a seed gives
        (a gentler start), never raise its top (see `_default_within_sources`)."""
        limits: dict[str, tuple[int, int] | None] = {}
        for name in NUMBER_FIELDS:
            pairs = [p for d in self.dosage if (p := getattr(d, name)) is not None]
            if self.guideline_dose is not None and (pair := getattr(self.guideline_dose, name)) is not None:
                pairs.append(pair)
            limits[name] = (min(p[0] for p in pairs), max(p[1] for p in pairs)) if pairs else None
        return limits

    def _seed_top(self, name: str) -> int | None:
        tops = [p[1] for d in self.dosage if (p := getattr(d, name)) is not None]
        return max(tops) if tops else None

    def precaution_for(self, condition: Condition) -> Precaution | None:
        return next((p for p in self.precautions if p.condition is condition), None)

    @property
    def sources(self) -> list[str]:
        return [d.source for d in self.dosage]

    @property
    def needs_floor(self) -> bool:
        return self.position in {Position.lying_on_back, Position.lying_on_front, Position.all_fours, Position.kneeling}

    @property
    def needs_kneeling(self) -> bool:
        return self.position in {Position.all_fours, Position.kneeling}

    @property
    def needs_lying_on_front(self) -> bool:
        return self.position is Position.lying_on_front

    @property
    def needs_standing(self) -> bool:
        return self.position is Position.standing

    @property
    def is_aerobic(self) -> bool:
        return Kind.aerobic in self.kind
