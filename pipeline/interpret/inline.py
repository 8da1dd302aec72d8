"""Fields written inside an action's own text, as some trackers do:
"... Implementation date(s): June 2023 Responsible persons: Chief Financial Officer".

Only used for a field the row has no column (or an empty cell) for; the action's
text is kept whole, nothing is cut out of it.
"""

from __future__ import annotations

import re

# Where a label may start: the text's start, a sentence end, a field's colon, or a word glued
# to the one before it ("Tiffany SewellPlanned completion date:").
BOUNDARY = re.compile(r"^|[.!?;:]\s*|(?<=[a-z])(?=[A-Z][a-z])")
MAX_LABEL_WORDS = 12
ROLE_WORDS: dict[str, re.Pattern[str]] = {
    "lead": re.compile(
        r"\b(responsible|contact person|owner|lead officer|accountable)\b", re.IGNORECASE
    ),
    "due": re.compile(
        r"\b(?:(?:implementation|completion|target|due|end)\s+date|deadline|to be completed by|completion)\b",
        re.IGNORECASE,
    ),
    "start": re.compile(r"\bstart(?:ing)?\s+date\b", re.IGNORECASE),
    "status": re.compile(r"^\s*(?:current\s+)?(?:status|rag(?: status)?)\s*$", re.IGNORECASE),
}
MAX_VALUE_CHARS = 160


def find_labels(text: str) -> list[tuple[int, int, str]]:
    """(label start, value start, label) for each "Label: value" in the text."""
    starts = sorted({m.end() for m in BOUNDARY.finditer(text)})
    labels = []
    for colon in re.finditer(r":\s*", text):
        begin = max((b for b in starts if b < colon.start()), default=0)
        label = text[begin : colon.start()]
        lead = re.search(r"[A-Z]", label)
        if lead is None or re.search(r"[.!?]", label):
            continue
        offset = begin + lead.start()
        label = label[lead.start() :]
        # A value may run straight into the next label ("June 2023 Responsible persons:"):
        # take the shortest capitalised tail that names a field, if one does.
        for m in re.finditer(r"(?<![\w'])[A-Z]", label):
            tail = label[m.start() :]
            if m.start() and any(p.search(tail) for p in ROLE_WORDS.values()):
                offset, label = offset + m.start(), tail
        if len(label.split()) > MAX_LABEL_WORDS:
            continue
        labels.append((offset, colon.end(), label.strip()))
    return labels


def text_to_inline_fields(text: str) -> dict[str, str]:
    """{role: value} for labelled fields found in the text (first of each role wins)."""
    labels = find_labels(text)
    found: dict[str, str] = {}
    for k, (_start, value_start, label) in enumerate(labels):
        role = next((r for r, pattern in ROLE_WORDS.items() if pattern.search(label)), None)
        if role is None or role in found:
            continue
        end = labels[k + 1][0] if k + 1 < len(labels) else len(text)
        value = text[value_start:end].strip().rstrip(".;,").strip()
        if value and len(value) <= MAX_VALUE_CHARS:
            found[role] = value
    return found
