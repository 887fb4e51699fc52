"""Write the thresholds and sources tables of docs/clinical-rules.md from the code (`python3 dev.py docs`)."""

from pathlib import Path

from backcoach.core.rules import DOC_END, DOC_START, rules_table
from backcoach.core.sources import SOURCES_DOC_END, SOURCES_DOC_START, sources_table

DOC = Path(__file__).resolve().parent / "clinical-rules.md"
text = DOC.read_text(encoding="utf-8")
for begin, finish, table in (
    (DOC_START, DOC_END, rules_table()),
    (SOURCES_DOC_START, SOURCES_DOC_END, sources_table()),
):
    start, end = text.index(begin), text.index(finish) + len(finish)
    text = text[:start] + table + text[end:]
DOC.write_text(text, encoding="utf-8")
print(f"Wrote the thresholds and sources tables in {DOC}")
