"""docs/clinical-rules.md cannot drift from the code: its thresholds table is the one the code uses."""

from __future__ import annotations

from pathlib import Path

from backcoach.core.rules import DOC_END, DOC_START, RULES, rules_table

DOC = Path(__file__).resolve().parents[1] / "docs" / "clinical-rules.md"


def test_the_document_holds_the_code_s_thresholds():
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(DOC_START), text.index(DOC_END) + len(DOC_END)
    assert text[start:end] == rules_table(), "run `python3 dev.py docs` to write the table again"


def test_every_threshold_names_a_source_and_is_used_once():
    assert len({r.id for r in RULES}) == len(RULES)
    assert all(r.source and r.words for r in RULES)
