"""Key poses for every exercise in the catalogue, by exercise id.

The figures themselves live in `floor` (lying and kneeling) and `upright` (sitting, standing and
the activities); this module only says which figure belongs to which catalogue id.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from backcoach.core.figures import floor, upright
from backcoach.core.figures.figure import Figure

BUILDERS: dict[str, Callable[[], Figure]] = {
    "knee-to-chest": floor.knee_to_chest,
    "double-knee-to-chest": floor.double_knee_to_chest,
    "pelvic-tilt": floor.pelvic_tilt,
    "deep-abdominal-bracing": floor.deep_abdominal_bracing,
    "knee-rolls": floor.knee_rolls,
    "bridge": floor.bridge,
    "bottom-to-heels": floor.bottom_to_heels,
    "back-extension": floor.back_extension,
    "piriformis-stretch": floor.piriformis_stretch,
    "crunch": floor.crunch,
    "leg-raise": floor.leg_raise,
    "neck-flexion-stretch": upright.neck_flexion_stretch,
    "neck-side-stretch": upright.neck_side_stretch,
    "basic-twist": upright.basic_twist,
    "hip-stretch": upright.hip_stretch,
    "walking": upright.walking,
    "water-activity": upright.water_activity,
    "cycling": upright.cycling,
}


@cache
def figure(exercise_id: str) -> Figure:
    """The figure of one exercise, built once per process. KeyError if it has none."""
    return BUILDERS[exercise_id]()
