"""Write the thresholds table of docs/clinical-rules.md from backcoach.core.rules (`python3 dev.py docs`)."""

from pathlib import Path

from backcoach.core.rules import DOC_END, DOC_START, rules_table

DOC = Path(__file__).resolve().parent / "clinical-rules.md"
text = DOC.read_text(encoding="utf-8")
start, end = text.index(DOC_START), text.index(DOC_END) + len(DOC_END)
DOC.write_text(text[:start] + rules_table() + text[end:], encoding="utf-8")
print(f"Wrote the thresholds table in {DOC}")
