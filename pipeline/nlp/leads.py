"""Lead cells -> leads: split, expand, classify and reconcile within a plan.

A lead cell may hold several leads: separated ("JH/GC", "BEC WINDSOR / STEVE FIELD") or
run together ("Head of Safeguarding and Area Services Head of Service Children in Care &
Care Leavers"). A separator splits only between two complete leads, so "Quality Assurance &
BSCB Manager" and "Service Manager, Employment, Skills and Learning" stay one lead each.
A line break separates only whole leads: "Head of" / "Safeguarding and Area Services" is one
lead wrapped over two lines. Where a star marks some entries of a partner list ("Org A*;
Org B"), the starred entries are the leads.

A lead is named as written, with the abbreviations the plan's own glossary defines expanded
(the output contract); the sector lexicon tells its kind and role family, never its name.

The spaCy component (components.py) marks tokens with the lexicon's patterns and calls
`segment_leads`; everything here is plain Python on those marked tokens and on strings.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from rapidfuzz import fuzz

from planx.pipeline.nlp.lexicon import Abbreviation, Lexicon, load_role_families
from planx.schemas.records import Lead

# Token marks set by the component.
# A role that starts with its head: "Head of", "Director of", "Headteacher".
HEAD_INITIAL = "head_initial"
TITLE = "title"  # a known title starts here: "Principal Social Worker"
PERSON_HEAD = "person_head"  # Manager, Officer, Lead, Director ...
TEAM_HEAD = "team_head"  # Team, Board, Service ...
OPEN, CLOSE = "open", "close"
INSIDE = "inside"  # within a title or head-initial phrase, after its first word
GLUED = "glued"  # a hyphen inside a word ("Multi-agency"), not a separator

HARD_SEPARATORS = frozenset({";", "|", "\n"})
STAR = "*"  # marks the lead partner(s) in a list of partners
SOFT_SEPARATORS = frozenset({"/", "&", ",", "and", "+", "-", "–", "—", ":", "or"})
# Separators that attach a name to its title ("Jane Smith, Head of Service").
ATTACHING = frozenset({",", "-", "–", "—", ":"})
FUZZY_WORD = 80  # rapidfuzz ratio at or above which two differing words are one misspelt word
FUZZY_MIN_LENGTH = 12

_INITIALS = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Za-z]?[A-Z][A-Za-z]?[A-Z]?$|^(?:[A-Z]\.){2,4}$")
_NAME_WORD = re.compile(r"^[A-Z][A-Za-z'’\-]*\.?$|^[A-Z]\.?$")
_VOWEL = re.compile(r"[AEIOUYaeiouy]")
_NOT_WORD_CHARS = re.compile(r"[^\w' ]+")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")  # "(DCS)", "[interim]"
_BRACKET = re.compile(r"[()\[\]]")
_IN_BRACKETS = re.compile(r"\(([^()]*)\)")
_NAME_WORDS = re.compile(r"[A-Za-z][\w']*")
_LEAD_SEPARATOR = re.compile(r"[/,&;+\n]|\band\b")
# A plan compares its lead texts many times over (each cell against the others): their
# comparison forms are remembered, up to this many.
LEAD_CACHE_SIZE = 4096


@dataclass(frozen=True)
class Tok:
    """One token of a lead cell with its character offsets and the component's marks."""

    text: str
    start: int
    end: int
    marks: frozenset[str] = frozenset()


@dataclass(frozen=True, eq=False)
class LeadContext:
    """What a plan tells the lead reader: its glossary, its other lead cells (normalised),
    and whether it writes its leads as initials."""

    lexicon: Lexicon
    glossary: Mapping[str, str] = field(default_factory=dict)
    known: frozenset[str] = frozenset()
    initials_style: bool = False
    one_line: frozenset[str] = frozenset()  # the known cells written without a line break

    @cached_property
    def _folded(self) -> dict[str, str]:
        return {k.casefold(): v for k, v in self.glossary.items()}

    def glossary_lookup(self, text: str) -> str | None:
        """The plan's own expansion, as written or in another case."""
        got = self.glossary.get(text)
        if got is None and len(text) > 1:
            got = self._folded.get(text.casefold())
        return got

    def abbreviation(self, text: str, *, standalone: bool) -> Abbreviation | None:
        """A lexicon abbreviation; short forms that are also common initials ("TM") count on
        their own only when the plan does not write its leads as initials."""
        entry = self.lexicon.abbreviations.get(text)
        if entry is None and standalone and sum(c.isupper() for c in text) >= 2:
            entry = self.lexicon.folded.get(text.casefold())
        if entry is None:
            return None
        if entry.ambiguous and standalone and self.initials_style:
            return None
        return entry


@lru_cache(maxsize=LEAD_CACHE_SIZE)
def norm_lead(text: str) -> str:
    """Comparison form of a lead: case-folded, '&' as 'and', punctuation and spacing unified."""
    text = text.casefold().replace("&", " and ").replace("’", "'")
    text = _NOT_WORD_CHARS.sub(" ", text)
    return " ".join(text.split())


def is_initials(text: str) -> bool:
    return bool(_INITIALS.match(text.strip()))


# --- completeness: is a run of tokens a lead on its own? --------------------------------------------


def looks_like_person(words: Sequence[str], ctx: LeadContext) -> bool:
    """Two to four capitalised words, none of them service vocabulary or an abbreviation:
    "TINA RUSSELL", "Rachel Green", "Ms L R Duffy"."""
    words = [w for w in words if w not in ("'s", "’s")]
    if words and words[0].lower().rstrip(".") in ctx.lexicon.person_titles:
        words = words[1:]
        if 1 <= len(words) <= 4 and all(_NAME_WORD.match(w) for w in words) and len(words[-1]) > 1:
            return not any(_vocabulary(w, ctx) for w in words)
        return False
    if not 2 <= len(words) <= 4:
        return False
    for w in words:
        if not _NAME_WORD.match(w) or len(w.rstrip(".")) < 2:
            return False
        if w.isupper() and (len(w) <= 2 or not _VOWEL.search(w)):
            return False  # initials, not a name
        if _vocabulary(w, ctx):
            return False
    return True


def _role_abbreviation(word: str, ctx: LeadContext) -> bool:
    """A word that abbreviates a role title ("GM", "TMs", "IRO")."""
    core = word.strip(",;:()")
    if core.endswith(("'s", "’s")):
        core = core[:-2]
    got = ctx.glossary.get(core)
    if got:
        return any(w.lower() in ctx.lexicon.person_heads for w in got.split())
    entry = ctx.lexicon.abbreviations.get(core) or ctx.lexicon.abbreviations.get(core[:-1])
    return entry is not None and entry.kind == "role" and sum(c.isupper() for c in core) >= 2


def _vocabulary(word: str, ctx: LeadContext) -> bool:
    low = word.lower().rstrip(".")
    lex = ctx.lexicon
    return (
        low in lex.org_words
        or low in lex.person_heads
        or low in lex.team_heads
        or low in lex.small_words
        or word in lex.abbreviations
        or word in ctx.glossary
    )


@dataclass(frozen=True)
class _Shape:
    complete: bool
    strong: bool  # a lead that can stand beside a head-initial role ("Head of X and ...")


@dataclass(frozen=True, eq=False)
class _Cell:
    """A lead cell's text and marked tokens, with helpers over token ranges."""

    text: str
    toks: Sequence[Tok]
    ctx: LeadContext
    wraps: frozenset[int] = frozenset()  # line breaks that only wrap one lead

    def sep(self, k: int) -> str | None:
        tok = self.toks[k]
        t = tok.text.strip().lower() if tok.text.strip() else ("\n" if "\n" in tok.text else "")
        if GLUED in tok.marks or k in self.wraps:
            return None
        return t if t in HARD_SEPARATORS or t in SOFT_SEPARATORS else None

    def spaced_slash(self, k: int) -> bool:
        """A '/' with a space on both sides ("HoS Early Help / Police DI"): written between
        two leads, unlike "Fostering/Adoption"."""
        toks = self.toks
        return (
            toks[k].text == "/"
            and 0 < k < len(toks) - 1
            and toks[k - 1].end < toks[k].start
            and toks[k].end < toks[k + 1].start
        )

    def words(self, i: int, j: int) -> list[str]:
        """The words of [i, j) as written, e.g. ["Children's", "Care"]; a bracketed aside
        ("(DCS)") is left out unless it is all there is."""
        if i >= j:
            return []
        text = self.text[self.toks[i].start : self.toks[j - 1].end].replace(STAR, " ")
        outside = _BRACKETED.sub(" ", text).split()
        return outside or _BRACKET.sub(" ", text).split()

    def shape(self, i: int, j: int) -> _Shape:
        words = self.words(i, j)
        if not words:
            return _Shape(False, False)
        ctx = self.ctx
        if norm_lead(" ".join(words)) in ctx.known:
            return _Shape(True, True)
        if len(words) == 1:
            w = words[0]
            if ctx.glossary_lookup(w):
                return _Shape(True, True)
            entry = ctx.abbreviation(w, standalone=True)
            if entry:
                return _Shape(True, entry.kind == "role")
            if ctx.lexicon.abbreviations.get(w):  # "CP", "CIC": a modifier more than a lead
                return _Shape(True, False)
            if is_initials(w):
                return _Shape(True, True)
            if w.lower() in ctx.lexicon.person_heads:
                return _Shape(False, False)  # a bare "Manager," takes the words after it
        marks = [t.marks for t in self.toks[i:j]]
        if any(HEAD_INITIAL in m or TITLE in m or PERSON_HEAD in m for m in marks):
            return _Shape(True, True)
        if any(_role_abbreviation(w, ctx) for w in words):  # "Safeguarding GM"
            return _Shape(True, True)
        if looks_like_person(words, ctx):
            return _Shape(True, True)
        if any(TEAM_HEAD in m for m in marks) or norm_lead(" ".join(words)) in ctx.lexicon.agencies:
            return _Shape(True, False)
        if is_initials(words[-1].strip(",;:")) and all(w[:1].isupper() for w in words):
            return _Shape(True, False)  # a post or team by its initials: "Police DI"
        if all(ctx.abbreviation(w, standalone=False) or ctx.glossary.get(w) for w in words):
            return _Shape(True, False)
        return _Shape(False, False)

    def strip(self, i: int, j: int) -> tuple[int, int]:
        """[i, j) without separators, spaces and star marks at either end."""
        while i < j and (self.sep(i) or self.toks[i].text.strip() in ("", STAR)):
            i += 1
        while j > i and (self.sep(j - 1) or self.toks[j - 1].text.strip() in ("", STAR)):
            j -= 1
        return i, j

    def starred(self, i: int, j: int) -> bool:
        """Whether the lead at [i, j) carries a star mark ("Org A*", "*Org A")."""
        after = next((t for t in self.toks[j:] if t.text.strip()), None)
        before = next((t for t in reversed(self.toks[:i]) if t.text.strip()), None)
        return (after is not None and after.text == STAR) or (
            before is not None and before.text == STAR
        )


def _depths(toks: Sequence[Tok]) -> list[int]:
    depth, out = 0, []
    for t in toks:
        if OPEN in t.marks:
            depth += 1
        out.append(depth)
        if CLOSE in t.marks:
            depth = max(0, depth - 1)
    return out


def _known_cover(cell: _Cell, i: int, j: int) -> list[tuple[int, int]] | None:
    """Pieces that are each another lead cell of the same plan, covering [i, j) whole."""
    if j - i < 2 or not cell.ctx.known:
        return None
    best: dict[int, list[tuple[int, int]]] = {j: []}
    for a in range(j - 1, i - 1, -1):
        if cell.sep(a):
            if a + 1 in best:
                best[a] = best[a + 1]
            continue
        for b in range(a + 1, j + 1):
            if b not in best or (a == i and b == j):
                continue
            if norm_lead(" ".join(cell.words(a, b))) in cell.ctx.known:
                cand = [(a, b), *best[b]]
                if a not in best or len(cand) < len(best[a]):
                    best[a] = cand
    cover = best.get(i)
    return cover if cover and len(cover) >= 2 else None


def _run_together(cell: _Cell, i: int, j: int, depth: list[int]) -> list[int]:
    """Cut points inside [i, j) where a new role starts right after a complete one."""
    toks = cell.toks
    cuts: list[int] = []
    start = i
    for k in range(i + 1, j):
        if depth[k] or cell.sep(k - 1) or cell.sep(k):
            continue
        marks = toks[k].marks
        # Nothing can modify "Head of"; a known title ("Team Manager") may have a modifier
        # before it, so only a strong lead ends there.
        left = cell.shape(start, k)
        if (HEAD_INITIAL in marks and left.complete) or (TITLE in marks and left.strong):
            cuts.append(k)
            start = k
            continue
        # "Team Manager Service Manager": a head noun, then a modifier and another head noun.
        since = max([start, *(m + 1 for m in range(start, k) if cell.sep(m))])
        if (
            PERSON_HEAD in toks[k - 1].marks
            and INSIDE not in marks
            and HEAD_INITIAL not in toks[since].marks
            and k - since >= 2
            and PERSON_HEAD not in marks
            and toks[k].text[:1].isupper()
        ):
            nxt = next((m for m in range(k, j) if cell.sep(m)), j)
            if any(PERSON_HEAD in toks[m].marks for m in range(k + 1, nxt)):
                cuts.append(k)
                start = k
    return cuts


def _split_at_separators(
    cell: _Cell, i: int, j: int, depth: list[int]
) -> list[tuple[int, int, str]]:
    """Pieces of [i, j) and the separator before each: a separator splits only when the text
    on both sides is a complete lead."""
    pieces: list[tuple[int, int, str]] = []
    start, before = i, ""
    seps = [k for k in range(i, j) if cell.sep(k) and not depth[k]]
    for n, k in enumerate(seps):
        sep = cell.sep(k) or ""
        nxt = seps[n + 1] if n + 1 < len(seps) else j
        if not cell.words(start, k) or not cell.words(k + 1, nxt):
            continue
        if sep in HARD_SEPARATORS:
            pieces.append((start, k, before))
            start, before = k + 1, sep
            continue
        lshape, rshape = cell.shape(start, k), cell.shape(k + 1, nxt)
        if not (lshape.complete and rshape.complete):
            continue
        if (
            any(HEAD_INITIAL in t.marks for t in cell.toks[start:k])
            and not rshape.strong
            and not cell.spaced_slash(k)
        ):
            continue  # "Head of Safeguarding and Area Services" is one role
        pieces.append((start, k, before))
        start, before = k + 1, sep
    pieces.append((start, j, before))
    return pieces


def segment_leads(text: str, toks: Sequence[Tok], ctx: LeadContext) -> list[tuple[int, int, str]]:
    """Token ranges of the leads in a cell, each with the separator that preceded it
    ("" for the first and for leads that were run together)."""
    cell = _Cell(text, list(toks), ctx)
    i, j = cell.strip(0, len(toks))
    if i >= j:
        return []
    depth = _depths(cell.toks)
    if OPEN in toks[i].marks and CLOSE in toks[j - 1].marks and all(d >= 1 for d in depth[i:j]):
        # A cell wholly in brackets: "(BEC WINDSOR)".
        i, j = cell.strip(i + 1, j - 1)
        depth = [max(0, d - 1) for d in depth]
    lines = _lines(cell, i, j)
    if len(lines) > 1:
        lines, wraps = _unwrap(cell, lines)
        cell = dataclasses.replace(cell, wraps=wraps)
    if len(lines) > 1:
        # A cell with one lead per line: each line is a lead unless it splits itself with '/'
        # or is one lead wrapped over several lines (then read as a one-line cell).
        out = []
        for a, b, sep in lines:
            wrapped = any(k in cell.wraps for k in range(a, b))
            if wrapped or any(cell.toks[k].text == "/" for k in range(a, b)):
                out += [
                    (s, e, sep if n == 0 else p)
                    for n, (s, e, p) in enumerate(segment_leads_in(cell, a, b, depth))
                ]
            else:
                s, e = cell.strip(a, b)
                if s < e:
                    out.append((s, e, sep))
        return _starred_only(cell, _attach_names(cell, out))
    return _starred_only(cell, _attach_names(cell, segment_leads_in(cell, i, j, depth)))


def _starred_only(cell: _Cell, pieces: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """In a list where a star marks the lead entries ("Org A*; Org B*; Org C"), only those;
    with no star, every entry."""
    starred = [p for p in pieces if cell.starred(p[0], p[1])]
    return starred or pieces


def _lines(cell: _Cell, i: int, j: int) -> list[tuple[int, int, str]]:
    """Token ranges between line breaks (hard separators), with the separator before each."""
    out, start, before = [], i, ""
    for k in range(i, j):
        text = cell.toks[k].text
        if text in HARD_SEPARATORS or "\n" in text:
            if cell.words(start, k):
                out.append((start, k, before))
            start, before = k + 1, "\n" if "\n" in text else text
    if cell.words(start, j):
        out.append((start, j, before))
    return out


_CONNECTING = frozenset({"&", "+", ",", "-", "–", "—", "/", ":"})


def _unwrap(
    cell: _Cell, lines: list[tuple[int, int, str]]
) -> tuple[list[tuple[int, int, str]], frozenset[int]]:
    """Lines joined where a line break only wraps one lead, and the breaks that do."""
    out = [lines[0]]
    wraps: set[int] = set()
    for a, b, sep in lines[1:]:
        pa, pb, psep = out[-1]
        if sep == "\n" and _wrapped(cell, (pa, pb), (a, b)):
            wraps.update(k for k in range(pb, a) if "\n" in cell.toks[k].text)
            out[-1] = (pa, b, psep)
        else:
            out.append((a, b, sep))
    return out, frozenset(wraps)


def _wrapped(cell: _Cell, left: tuple[int, int], right: tuple[int, int]) -> bool:
    """Whether a line break between two lines of a lead cell wraps one lead rather than
    separating two: the first line ends, or the next begins, mid-phrase ("Head of" /
    "Safeguarding and Area Services"); the plan writes the joined text as a lead of its own;
    or one of the two lines is no lead on its own ("Head of Service" / "Children in Care")."""
    ctx = cell.ctx
    lw, rw = cell.words(*left), cell.words(*right)
    if not lw or not rw:
        return False
    small = ctx.lexicon.small_words
    last, first = lw[-1].lower(), rw[0]
    if last in small or last[-1] in _CONNECTING or first.lower() in small:
        return True
    if first[0] in _CONNECTING or first[0].islower():
        return True
    if ctx.known:
        left_known = norm_lead(" ".join(lw)) in ctx.known
        right_known = norm_lead(" ".join(rw)) in ctx.known
        if norm_lead(" ".join(lw + rw)) in ctx.one_line and not (left_known and right_known):
            return True
        if left_known or right_known:
            return False
    agencies = ctx.lexicon.agencies
    if norm_lead(" ".join(lw)) in agencies or norm_lead(" ".join(rw)) in agencies:
        return False  # "Police", "Public Health": a body that leads on its own
    marks = cell.toks[right[0]].marks
    if HEAD_INITIAL in marks or TITLE in marks:
        return False  # nothing modifies "Head of ...": a new lead starts
    lshape, rshape = cell.shape(*left), cell.shape(*right)
    if lshape.complete != rshape.complete:
        # "Head of Service" / "Children in Care", "Northam Vale" / "County Council": one line
        # is no lead on its own, so it belongs to its neighbour.
        return True
    if not lshape.complete:
        # "Jane" / "Smith": two fragments that make one lead.
        # (The cell itself is among the plan's known cells: only one-line cells count here.)
        alone = dataclasses.replace(ctx, known=ctx.one_line)
        joined = _Cell(cell.text, cell.toks, alone, frozenset(range(left[1], right[0])))
        return joined.shape(left[0], right[1]).complete
    return False


def segment_leads_in(cell: _Cell, i: int, j: int, depth: list[int]) -> list[tuple[int, int, str]]:
    blocks = _known_cover(cell, i, j) or [(i, j)]
    out: list[tuple[int, int, str]] = []
    for a, b in blocks:
        edges = [a, *_run_together(cell, a, b, depth), b]
        for n in range(len(edges) - 1):
            for pa, pb, sep in _split_at_separators(cell, edges[n], edges[n + 1], depth):
                s, e = cell.strip(pa, pb)
                if s < e:
                    out.append((s, e, sep))
    return out


def _attach_names(cell: _Cell, pieces: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """'Andrew Carter, Director of ...': a name and its title, joined by a comma or dash, are
    one lead (a person, with the title's role family)."""
    out: list[tuple[int, int, str]] = []
    for piece in pieces:
        if out and piece[2] in ATTACHING:
            prev = out[-1]
            a_person = looks_like_person(cell.words(prev[0], prev[1]), cell.ctx)
            b_person = looks_like_person(cell.words(piece[0], piece[1]), cell.ctx)
            if a_person != b_person:
                out[-1] = (prev[0], piece[1], prev[2])
                continue
        out.append(piece)
    return out


# --- naming and classifying one lead -------------------------------------------------------------------


def name_case(text: str) -> str:
    """A person's name as it would be typed: "TINA RUSSELL" -> "Tina Russell",
    "MARTHA McCARRON" -> "Martha McCarron", "O'BRIEN" -> "O'Brien"."""

    def word(w: str) -> str:
        if len(w) <= 1:
            return w.upper()
        if "-" in w:
            return "-".join(word(p) for p in w.split("-"))
        for mark in ("'", "’"):
            if mark in w[1:3]:
                head, _, tail = w.partition(mark)
                return word(head) + mark + word(tail)
        if w[:2].lower() == "mc" and len(w) > 3 and (w.isupper() or w[2:].isupper()):
            return "Mc" + w[2:].capitalize()
        if w.isupper() or w.islower():
            return w.capitalize()
        return w

    return " ".join(word(w) for w in text.split())


def title_case(text: str, keep_upper: Callable[[str], bool]) -> str:
    """An ALL-CAPS title in title case, keeping acronyms and small words lower:
    "HEAD OF SERVICE CSC" -> "Head of Service CSC"."""
    small = {"of", "and", "for", "in", "the", "to", "with", "on", "at", "by", "or"}
    out = []
    for n, w in enumerate(text.split()):
        core = w.strip("(),:;")
        if keep_upper(core) or (len(core) <= 4 and core.isupper() and not _VOWEL.search(core)):
            out.append(w)
        elif n and core.lower() in small:
            out.append(w.lower())
        else:
            out.append(w[:1].upper() + w[1:].lower())
    return " ".join(out)


def role_family(title: str, kind: str = "role") -> str | None:
    """The tier a role belongs to, by the shipped rules (pipeline/data/role_families.json)
    on its expanded title; None for teams that are not boards, for initials and for unknown
    leads."""
    return load_role_families().family_of(title, kind)


def _kind_of(words: Sequence[str], ctx: LeadContext, marks: set[str]) -> str:
    if len(words) == 1 and is_initials(words[0]):
        return "initials"
    if looks_like_person(words, ctx):
        return "person"
    lows = [w.lower().strip(",;:.()[]") for w in words]
    lex = ctx.lexicon
    if HEAD_INITIAL in marks or TITLE in marks or any(w in lex.person_heads for w in lows):
        return "role"
    if len(words) > 1 and any(_role_abbreviation(w, ctx) for w in words):
        return "role"
    if any(w in lex.team_heads for w in lows):
        return "team"
    return "unknown"


def _expand_tokens(
    words: Sequence[str], ctx: LeadContext, *, lexicon: bool
) -> tuple[list[str], list[int]]:
    """Abbreviations inside a longer lead, expanded: any the plan's glossary defines and,
    when `lexicon` is set (to read a role's family, never its name), the lexicon's role
    titles ("Safeguarding GM" -> "Safeguarding Group Manager"); a service abbreviation inside
    a title stays as written ("HR Business Partner", "Assistant Director CSC"). Only tokens
    written with two or more capitals. Returns the words and the indexes of the
    abbreviations recognised."""
    out, found = [], []
    for n, w in enumerate(words):
        core, suffix = w, ""
        if core.endswith(("'s", "’s")):
            core, suffix = core[:-2], core[-2:]
        if sum(c.isupper() for c in core) < 2:
            out.append(w)
            continue
        got = ctx.glossary.get(core)
        if got:
            out.append(got + suffix)
            found.append(n)
            continue
        entry = ctx.lexicon.abbreviations.get(core)
        if entry is None and core.endswith("s") and core[:-1] in ctx.lexicon.abbreviations:
            base = ctx.lexicon.abbreviations[core[:-1]]
            entry = Abbreviation(core, base.expansion + "s", base.kind)
        if entry and entry.kind == "role":
            out.append(entry.expansion + suffix if lexicon else w)
            found.append(n)
            continue
        out.append(w)
    return out, found


@dataclass(frozen=True)
class LeadReading:
    lead: Lead
    abbreviations: tuple[int, ...] = ()  # word indexes that are abbreviations it recognised


def classify_lead(
    text: str, ctx: LeadContext, marks: set[str] | None = None, person_hint: bool = False
) -> LeadReading:
    """One lead from its words: abbreviations the plan's glossary defines expanded, cased,
    and classified as person, initials, role or team, with its role family (read through
    the sector lexicon too, which never changes the name)."""
    marks = set(marks or ())
    raw = " ".join(text.split())
    words = raw.split()
    # A bracketed part: a person with their title ("Director (Jane Smith)", "Jane Smith
    # (DCS)") is one person lead that keeps the title; an abbreviation restating the title
    # ("Director of Children's Services (DCS)") is dropped; anything else stays.
    bracket = _IN_BRACKETS.search(raw)
    if bracket:
        inner, outer = (
            bracket.group(1).strip(),
            (raw[: bracket.start()] + raw[bracket.end() :]).strip(" ,-"),
        )
        inner_words, outer_words = inner.split(), outer.split()
        person = _bracketed_person(raw, outer_words, inner_words, ctx)
        if person is not None:
            return LeadReading(person)
        if (
            outer_words
            and len(inner_words) == 1
            and (ctx.glossary_lookup(inner) or ctx.lexicon.lookup(inner) or is_initials(inner))
        ):
            words = outer_words
    text = " ".join(words)
    # Whole-lead abbreviation.
    if len(words) <= 2:
        got = ctx.glossary_lookup(text)
        if got:
            return LeadReading(_from_glossary(raw, got, ctx), (0,))
        entry = ctx.abbreviation(text, standalone=True)
        if entry:
            return LeadReading(_from_lexicon(raw, text, entry, ctx), (0,))
    # "Name, Title" / "Title - Name" joined into one lead.
    person = _name_and_title(raw, words, ctx)
    if person is not None:
        return LeadReading(person)
    named, idx = _expand_tokens(words, ctx, lexicon=False)
    read = _expand_tokens(words, ctx, lexicon=True)[0]
    kind = _kind_of(words, ctx, marks)
    if kind == "unknown" and person_hint and 2 <= len(words) <= 4:
        kind = "person"
    if kind == "unknown":
        kind = _kind_of(" ".join(read).split(), ctx, marks)
        kind = "unknown" if kind in ("person", "initials") else kind
    if kind == "person":
        name = name_case(text)
    elif kind == "initials":
        name = text.replace(".", "")
    else:
        name = " ".join(named)
        if text.isupper() and len(words) > 1:
            name = title_case(name, lambda w: w in ctx.lexicon.abbreviations or w in ctx.glossary)
    name = name.strip(" ,;:-")
    from_plan = kind not in ("initials", "person") and named != words
    return LeadReading(
        Lead(
            raw=raw,
            name=name,
            kind=kind,
            role_family=role_family(" ".join(read), kind),
            expanded_from="plan" if from_plan else None,
        ),
        tuple(idx),
    )


def _bracketed_person(
    raw: str, outer: list[str], inner: list[str], ctx: LeadContext
) -> Lead | None:
    """A person lead from "Title (Name)" or "Name (Title)": the name, with the title as
    the plan writes it (expanded where its glossary defines it)."""
    if not outer or not inner:
        return None
    for name, title, name_first in ((inner, outer, False), (outer, inner, True)):
        if looks_like_person(name, ctx) and not looks_like_person(title, ctx):
            if name_first and not _is_title(title, ctx):
                return None  # "Jane Smith (Interim)": an aside, not a title
            title_text, family_text = _title_texts(title, ctx)
            person = name_case(" ".join(name))
            full = f"{person} ({title_text})" if name_first else f"{title_text} ({person})"
            return Lead(
                raw=raw, name=full, kind="person", role_family=role_family(family_text, "person")
            )
    return None


def _is_title(words: Sequence[str], ctx: LeadContext) -> bool:
    """Words that name a role: a head noun, or an abbreviation of one."""
    text = " ".join(words)
    if ctx.glossary_lookup(text):
        return True
    entry = ctx.abbreviation(text, standalone=True)
    if entry is not None:
        return entry.kind == "role"
    lows = {w.lower().strip(",;:.") for w in words}
    return bool(lows & ctx.lexicon.person_heads) or any(_role_abbreviation(w, ctx) for w in words)


def _name_and_title(raw: str, words: list[str], ctx: LeadContext) -> Lead | None:
    """A person lead from "Andrew Carter, Director of ..." or "Director - Jane Smith"."""
    for cut in range(1, len(words)):
        left, right = words[:cut], words[cut:]
        if not (left[-1].endswith(",") or right[0] in ("-", "–", "—", ":")):
            continue
        lw = [w.rstrip(",") for w in left]
        rw = [w for w in right if w not in ("-", "–", "—", ":")]
        if not lw or not rw:
            continue
        sep = ", " if left[-1].endswith(",") else f" {right[0]} "
        for name, title, name_first in ((lw, rw, True), (rw, lw, False)):
            if looks_like_person(name, ctx) and not looks_like_person(title, ctx):
                title_text, family_text = _title_texts(title, ctx)
                person = name_case(" ".join(name))
                # The person with their title, as the plan writes them (the title expanded
                # where the plan defines it).
                full = f"{person}{sep}{title_text}" if name_first else f"{title_text}{sep}{person}"
                return Lead(
                    raw=raw,
                    name=full,
                    kind="person",
                    role_family=role_family(family_text, "person"),
                )
    return None


def _title_texts(words: Sequence[str], ctx: LeadContext) -> tuple[str, str]:
    """A title as named (expanded by the plan's glossary only) and as read for its role
    family (the sector lexicon's expansions too)."""
    text = " ".join(words)
    got = ctx.glossary_lookup(text)
    if got:
        return got, got
    entry = ctx.abbreviation(text, standalone=True)
    if entry:
        return text, entry.expansion
    named = " ".join(_expand_tokens(words, ctx, lexicon=False)[0])
    return named, " ".join(_expand_tokens(words, ctx, lexicon=True)[0])


def _from_glossary(raw: str, expansion: str, ctx: LeadContext) -> Lead:
    """A whole lead the plan's glossary defines: a person ("KP" -> "Karen Peters, Head of
    Service"), a role or a team, named by the definition."""
    if looks_like_person(expansion.split(",")[0].split(), ctx):
        person = expansion.split(",")[0].split("(")[0].strip()
        rest = expansion[len(person) :].strip(" ,()-")
        return Lead(
            raw=raw,
            name=name_case(person),
            kind="person",
            role_family=role_family(rest, "person") if rest else None,
            expanded_from="plan",
        )
    kind = _kind_of_expansion(expansion, None, ctx)
    return Lead(
        raw=raw,
        name=expansion,
        kind=kind,
        role_family=role_family(expansion, kind),
        expanded_from="plan",
    )


def _from_lexicon(raw: str, text: str, entry: Abbreviation, ctx: LeadContext) -> Lead:
    """A whole lead the plan does not define but the sector lexicon knows ("DCS", "HoS"):
    kept as written, its kind and role family read from the lexicon's expansion."""
    kind = _kind_of_expansion(entry.expansion, entry.kind, ctx)
    return Lead(raw=raw, name=text, kind=kind, role_family=role_family(entry.expansion, kind))


def _kind_of_expansion(expansion: str, kind: str | None, ctx: LeadContext) -> str:
    if kind in ("role", "team"):
        return kind
    lows = [w.lower() for w in expansion.replace(",", " , ").split()]
    if any(w in ctx.lexicon.person_heads for w in lows) or lows[:2] == ["head", "of"]:
        return "role"
    if any(w in ctx.lexicon.team_heads for w in lows):
        return "team"
    return "unknown"


# --- one plan's leads, reconciled ------------------------------------------------------------------------


def _acronym(name: str, small: frozenset[str]) -> str:
    return "".join(w[0] for w in _NAME_WORDS.findall(name) if w.lower() not in small).upper()


def same_name(a: str, b: str, small: frozenset[str]) -> bool:
    """Two normalised role names that differ only in small words or in one misspelt word
    ("Principle"/"Principal", "Manager"/"Managers"); "Service Manager East" and "... West",
    or "Team 1" and "Team 2", stay different."""
    ta = [w for w in a.split() if w not in small]
    tb = [w for w in b.split() if w not in small]
    if ta == tb:
        return True
    if len(ta) != len(tb):
        return False
    diffs = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
    if len(diffs) != 1:
        return False
    x, y = diffs[0]
    if any(c.isdigit() for c in x + y) or min(len(x), len(y)) < 4 or x[0] != y[0]:
        return False
    return fuzz.ratio(x, y) >= FUZZY_WORD


def reconcile_leads(groups: Sequence[Sequence[Lead]], lexicon: Lexicon) -> list[list[Lead]]:
    """The same lead written two ways in one plan, resolved to one name: spelling variants
    ("&" / "and", a typo) by fuzzy match. Undefined initials keep their name and take the
    role family of the one role in the plan they abbreviate."""
    counts: Counter[tuple[str, str]] = Counter()
    written: dict[tuple[str, str], Counter[str]] = {}
    family_of: dict[tuple[str, str], str | None] = {}
    for leads in groups:
        for lead in leads:
            key = (lead.kind, norm_lead(lead.name))
            counts[key] += 1
            written.setdefault(key, Counter())[lead.name] += 1
            family_of.setdefault(key, lead.role_family)
    canonical: dict[tuple[str, str], str] = {k: c.most_common(1)[0][0] for k, c in written.items()}
    alias: dict[tuple[str, str], Lead] = {}
    keys = sorted(counts, key=lambda k: (-counts[k], -len(k[1])))
    for n, key in enumerate(keys):
        kind, norm = key
        if kind not in ("role", "team") or len(norm) < FUZZY_MIN_LENGTH or key in alias:
            continue
        for other in keys[n + 1 :]:
            if other[0] == kind and other not in alias and len(other[1]) >= FUZZY_MIN_LENGTH:
                if same_name(norm, other[1], lexicon.small_words):
                    alias[other] = Lead(
                        raw="", name=canonical[key], kind=kind, role_family=family_of[key]
                    )
    # Undefined initials stay as written (the output contract); the one role of the plan
    # they abbreviate only tells their role family.
    roles = [k for k in keys if k[0] == "role" and k not in alias]
    families: dict[tuple[str, str], str] = {}
    for key in keys:
        kind, norm = key
        if kind not in ("initials", "unknown") or " " in norm or len(norm) < 3:
            continue
        hits = [r for r in roles if _acronym(canonical[r], lexicon.small_words) == norm.upper()]
        family = family_of[hits[0]] if len(hits) == 1 else None
        if family:
            families[key] = family
    out: list[list[Lead]] = []
    for leads in groups:
        fixed = []
        for lead in leads:
            key = (lead.kind, norm_lead(lead.name))
            if key in alias:
                target = alias[key]
                fixed.append(
                    lead.model_copy(update={"name": target.name, "role_family": target.role_family})
                )
            elif key in families and lead.role_family is None:
                fixed.append(lead.model_copy(update={"role_family": families[key]}))
            elif canonical.get(key, lead.name) != lead.name:
                fixed.append(lead.model_copy(update={"name": canonical[key]}))
            else:
                fixed.append(lead)
        out.append(_dedupe(fixed))
    return out


def _dedupe(leads: list[Lead]) -> list[Lead]:
    seen, out = set(), []
    for lead in leads:
        key = (lead.kind, norm_lead(lead.name))
        if key not in seen:
            seen.add(key)
            out.append(lead)
    return out


def plan_lead_evidence(
    cells: Sequence[str], glossary: Mapping[str, str], lexicon: Lexicon
) -> tuple[frozenset[str], bool, frozenset[str]]:
    """From a plan's raw lead cells: the set of cells (for splitting run-together leads by
    the plan's own evidence), whether the plan writes its leads as initials, and the cells
    written on one line (for telling a wrapped lead from one lead per line)."""
    known = frozenset(norm_lead(c) for c in cells if c and c.strip())
    one_line = frozenset(norm_lead(c) for c in cells if c and c.strip() and "\n" not in c.strip())
    unknown_initials = set()
    for cell in cells:
        for part in _LEAD_SEPARATOR.split(cell or ""):
            part = part.strip()  # a whole lead, not a word of one ("HEAD OF SERVICE")
            if is_initials(part) and part not in glossary and part not in lexicon.abbreviations:
                unknown_initials.add(part)
    return known, len(unknown_initials) >= 2, one_line


__all__ = [
    "LeadContext",
    "LeadReading",
    "Tok",
    "classify_lead",
    "is_initials",
    "looks_like_person",
    "name_case",
    "norm_lead",
    "plan_lead_evidence",
    "reconcile_leads",
    "role_family",
    "segment_leads",
    "title_case",
]
