"""docs/clinical-rules.md cannot drift from the code: its thresholds and sources tables are the code's."""

from __future__ import annotations

from pathlib import Path

from backcoach.core.rules import DOC_END, DOC_START, RULES, rules_table
from backcoach.core.sources import ALL_SOURCES, SOURCES_DOC_END, SOURCES_DOC_START, sources_table

DOC = Path(__file__).resolve().parents[1] / "docs" / "clinical-rules.md"


def test_the_document_holds_the_code_s_thresholds():
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(DOC_START), text.index(DOC_END) + len(DOC_END)
    assert text[start:end] == rules_table(), "run `python3 dev.py docs` to write the table again"


def test_every_threshold_names_a_source_and_is_used_once():
    assert len({r.id for r in RULES}) == len(RULES)
    assert all(r.source and r.words for r in RULES)


def test_the_document_holds_every_source_with_its_plain_name():
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(SOURCES_DOC_START), text.index(SOURCES_DOC_END) + len(SOURCES_DOC_END)
    assert text[start:end] == sources_table(), "run `python3 dev.py docs` to write the table again"
    for source in ALL_SOURCES.values():
        assert f"| `{source.id}` | {source.title} | {source.about} |" in text
