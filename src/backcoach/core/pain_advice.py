"""What backcoach says about pain during exercise: one statement, shown wherever cautions are.

The exercise page, the printed handout and `backcoach exercises show` all print
`DURING_EXERCISE`, so the person reads the same words everywhere, and no exercise file keeps a
pain line of its own that could say something else (`tests/test_catalogue_precautions.py`).

Where the words come from:
- The seeds ask to stop if an exercise hurts (002_17edfd41803de707.txt: stop straight away
  with any pain; 004_7cab17a5ac68f44c.txt: pain during an exercise may mean it is done the
  wrong way), to slow down when the back starts to strain (000_c93f4b904139ebfa.txt) and not
  to overstretch (003_f764da1d5ae4ae81.txt).
- Smith et al. 2017 (Br J Sports Med 51:1679-87) found that exercise allowed to be mildly
  painful is not harmful, so a gentle stretch or a little discomfort is not a reason to stop.
  Mild discomfort still changes something: fewer or shorter repeats, an easier exercise, or a
  skip, the same choices the pain dialog (`core.pain_stop`) offers. Never "carry on unchanged".
- Sharp, spreading or worsening pain is a reason to stop (PRODUCT.md, clinical reference facts),
  and so is pain at the critical level of the Medbridge Pathways thresholds (`CRITICAL_PAIN`),
  the same three tests `pain_stop.ends_session` uses to end a session.
"""

from __future__ import annotations

from backcoach.core.rules import CRITICAL_PAIN

DURING_EXERCISE = (
    "A gentle stretch or a little discomfort is fine and does no harm. "
    "If it starts to hurt, do not carry on the same way: check the steps, then do fewer or shorter "
    "repeats, choose an easier exercise, or skip it. "
    f"Stop if the pain is sharp, spreads down a leg, keeps getting worse, or reaches {CRITICAL_PAIN} out of 10."
)
