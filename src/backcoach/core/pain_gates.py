"""Gates around high pain: before a session, and after one (coached, played or logged).

- Before: pain of 7 or more (Medbridge Pathways' critical level) means only the gentlest
  movements today, or rest. Strengthening waits; NICE NG59 still advises staying active.
- After: a rise to 7 or more, or by 2 or more (Medbridge Pathways; Ostelo et al. 2008 make
  2 points a real change), asks the warning signs again (`rules.ask_warning_signs_again`) and
  gives advice whose words fit what happened; a clear answer then never says "start gently"
  as if nothing had happened.
"""

from __future__ import annotations

from collections.abc import Collection

from backcoach.core.rules import ACT_RISE, CRITICAL_PAIN

LEG_SIGNS = (
    "Pain went into your legs. If you get numbness around your bottom or genitals, weak legs, or trouble "
    "with your bladder or bowels, get emergency help now."
)


def high_pain_today(pain_before: int | None) -> bool:
    return pain_before is not None and pain_before >= CRITICAL_PAIN


def before_session_advice(pain_before: int | None) -> tuple[str, ...]:
    if not high_pain_today(pain_before):
        return ()
    return (
        f"Your pain is {pain_before} out of 10 today. Only the gentlest movements today, slowly, or rest if you "
        "prefer. Strengthening waits until your pain is lower. If pain this high does not settle, see a doctor "
        "or physiotherapist.",
    )


def after_session_advice(
    before: int | None, after: int | None, stop_scores: Collection[int], into_the_legs: bool
) -> tuple[str, ...]:
    """What to do after a session in which pain rose, was critical, or went into the legs."""
    advice: list[str] = []
    worst = max([*([after] if after is not None else []), *stop_scores], default=None)
    if worst is not None and worst >= CRITICAL_PAIN:
        advice.append(
            f"Your pain reached {worst} out of 10. Rest in a position that feels easy, then keep moving gently "
            "through the day as far as you can. If it does not settle, see a doctor or physiotherapist."
        )
    elif before is not None and after is not None and after - before >= ACT_RISE:
        advice.append(
            f"Your pain went up from {before} to {after} during the session. Next time, go more gently and do "
            "less. If it keeps rising, see a doctor or physiotherapist."
        )
    if into_the_legs:
        advice.append(LEG_SIGNS)
    return tuple(advice)


def clear_after_rise_message(advice: tuple[str, ...]) -> str:
    """A clear re-screen after pain rose: no warning signs, and the advice still stands."""
    return " ".join(("No warning signs in your answers.", *advice))
