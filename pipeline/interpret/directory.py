"""Leads from a "plan on a page": a grid of project names, each with its owner in brackets.

Summary plans often list every project once in a grid ("Social Work Recruitment
Project (JANE SMITH)") and again in a status sheet without owners. A person
reading both puts the owner beside the project; so does this, when the
project's name matches the action's text closely, and only for actions that
have no lead of their own.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from planx.pipeline.interpret.text import collapse_whitespace
from planx.schemas.layout import Table
from planx.schemas.records import Action

# "Project name (OWNER NAME / OTHER NAME)": owners in capitals, or initials.
OWNED_CELL = re.compile(
    r"^(?P<title>.+?)\s*\((?P<owners>[A-Z][A-Za-z'’.-]*[A-Z](?:[ A-Za-z'’.-]*?)(?:\s*/\s*[A-Z][A-Za-z'’ .-]*)*)\)\s*$",
    re.DOTALL,
)
MIN_ENTRIES = 4
MIN_MATCH = 90


def _is_owner_list(text: str) -> bool:
    names = [n.strip() for n in text.split("/")]

    # Capitalised names ("BEC WINDSOR") or initials ("JH"); not an ordinary bracketed aside.
    def capitals(name: str) -> bool:
        letters = [c for c in name if c.isalpha()]
        return bool(letters) and sum(c.isupper() for c in letters) >= 0.75 * len(letters)

    return all(n and capitals(n) for n in names)


def table_to_directory(table: Table) -> dict[str, str]:
    """{project title: owners as written} when the table is such a grid, else {}."""
    entries: dict[str, str] = {}
    for row in table.texts():
        for text in row:
            text = collapse_whitespace(text)
            m = OWNED_CELL.match(text)
            if m and _is_owner_list(m.group("owners")):
                entries.setdefault(
                    collapse_whitespace(m.group("title")), collapse_whitespace(m.group("owners"))
                )
    return entries if len(entries) >= MIN_ENTRIES else {}


def leads_from_directories(
    actions: list[Action], directories: list[dict[str, str]]
) -> list[Action]:
    if not directories:
        return actions
    merged: dict[str, str] = {}
    for directory in directories:
        for title, owners in directory.items():
            merged.setdefault(title, owners)
    titles = list(merged)
    # Best pairs first, each project title given to one action at most.
    candidates = []
    for i, action in enumerate(actions):
        if action.lead_raw or not action.text:
            continue
        for title, score, _ in process.extract(
            action.text, titles, scorer=fuzz.token_set_ratio, processor=default_process, limit=3
        ):
            if score >= MIN_MATCH and (len(title.split()) >= 2 or score == 100):
                candidates.append((score, i, title))
    given: dict[int, str] = {}
    used: set[str] = set()
    for _score, i, title in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i not in given and title not in used:
            given[i] = title
            used.add(title)
    out = []
    for i, action in enumerate(actions):
        if i in given:
            title = given[i]
            action = action.model_copy(
                update={
                    "lead_raw": merged[title],
                    "extra": {**action.extra, "lead_from": f"project grid: {title}"},
                }
            )
        out.append(action)
    return out
