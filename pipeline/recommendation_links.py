"""Which of a plan's actions and KPIs answer each recommendation of the inspection it follows.

For each inspection report, the plans of the same authority dated after its inspection (or
undated) answer it, unless a later inspection came between. Each recommendation is scored
against every action and KPI of those plans:

1. cited, the item itself: it names the recommendation by number ("Recommendation 3",
   "Ofsted rec 5"), or quotes it (a run of `min_quote_words` words of it, as a mapping
   column "Ofsted recommendations" beside the plan's measures does);
2. cited, through its block: a plan that maps its outcomes to the recommendations lists
   them beside the outcome's measures, so a recommendation cited in an outcome's block
   (same table, same theme) is cited for every measure of the outcome, and for the actions
   of the plan's theme with the same number (outcome 3's measures, workstream 3's actions);
3. text: TF-IDF (scikit-learn) cosine similarity of the two texts after the field's own
   reading: abbreviations expanded (the plan's glossary, then the sector lexicon), the
   field's other names for a thing mapped to one phrase, stop words dropped, words stemmed
   (Snowball), with adjacent word pairs and the field's phrases as terms of their own.

The vocabulary is data (pipeline/data/recommendation_terms.json, with the abbreviations of
pipeline/data/sector_lexicon.json). Items are ranked cited first (one from each block
before a second from any), then by score; `top_n` are kept per recommendation.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd
import snowballstemmer
from sklearn.feature_extraction.text import TfidfVectorizer

from planx.pipeline.data_files import read_data_json

__all__ = [
    "LinkSettings",
    "SCORE_COLUMNS",
    "load_terms",
    "text_to_terms",
    "cited_numbers",
    "recommendation_scores",
    "theme_number",
]

TIER_CITED, TIER_BLOCK, TIER_TEXT = 0, 1, 2
MAX_SHARED_TERMS = 4
_THEME_NUMBER = re.compile(r"^\W*(?:[A-Za-z]+\s+)?(\d{1,2})\b(?![.]\d)")
_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
SCORE_COLUMNS = [
    "source", "authority", "rec_n", "about", "plan_id", "item_kind", "item_id", "item_ref",
    "tier", "block_round", "score", "basis", "terms", "item_text", "status_meaning",
    "item_source", "item_page",
]  # fmt: skip


@dataclass(frozen=True)
class LinkSettings:
    """How recommendations are linked: the score that counts as addressed and how many links."""

    addressed_threshold: float
    top_n: int
    min_quote_words: int
    use_citations: bool = True  # False scores on text alone (to measure the text match)

    @classmethod
    def default(cls) -> LinkSettings:
        terms = load_terms()
        return cls(terms.addressed_threshold, terms.top_n, terms.min_quote_words)


@dataclass(frozen=True)
class _Terms:
    abbreviations: dict[str, str]
    synonyms: tuple[tuple[str, str], ...]
    phrases: tuple[str, ...]
    stop_words: frozenset[str]
    citation: re.Pattern[str]
    min_quote_words: int
    addressed_threshold: float
    top_n: int


@lru_cache(maxsize=1)
def load_terms() -> _Terms:
    """The matching vocabulary: recommendation_terms.json plus the sector lexicon's abbreviations."""
    data = read_data_json("recommendation_terms.json")
    lexicon = read_data_json("sector_lexicon.json")["abbreviations"]
    abbreviations = {k: v["expansion"] for k, v in lexicon.items() if not v.get("ambiguous")}
    abbreviations.update(data["abbreviations"])
    synonyms = sorted(data["synonyms"].items(), key=lambda kv: -len(kv[0]))
    # The field's phrases: what synonyms map to and what abbreviations stand for.
    phrases = {v.lower() for v in data["synonyms"].values()}
    phrases |= {v.lower() for v in abbreviations.values()}
    return _Terms(
        abbreviations=abbreviations,
        synonyms=tuple((k.lower(), v.lower()) for k, v in synonyms),
        phrases=tuple(sorted((p for p in phrases if " " in p), key=len, reverse=True)),
        stop_words=frozenset(data["stop_words"]),
        citation=re.compile(data["citation"], re.IGNORECASE),
        min_quote_words=int(data["min_quote_words"]),
        addressed_threshold=float(data["addressed_threshold"]),
        top_n=int(data["top_n"]),
    )


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


def _expand(text: str, glossary: dict[str, str]) -> str:
    """Abbreviations written out: the plan's own glossary first, then the field's."""
    terms = load_terms()
    known = {**terms.abbreviations, **glossary}
    if not known:
        return text
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(k) for k in sorted(known, key=len, reverse=True))
        + r")(?![\w-])"
    )
    return pattern.sub(lambda m: known[m.group(1)], text)


def _stem_words(words: list[str]) -> list[str]:
    return _stemmer().stemWords([w.replace("’", "'") for w in words])


def text_to_terms(text: str, glossary: dict[str, str] | None = None) -> list[str]:
    """The terms a text is matched on: stemmed content words, adjacent pairs of them, and
    the field's phrases (as one term each)."""
    terms = load_terms()
    lowered = " " + _expand(text, glossary or {}).lower().replace("’", "'") + " "
    for written, canonical in terms.synonyms:
        lowered = lowered.replace(f" {written} ", f" {canonical} ")
    out: list[str] = []
    spaced = f" {' '.join(_WORD.findall(lowered))} "
    for phrase in terms.phrases:
        if f" {phrase} " in spaced:
            out.append(" ".join(_stem_words(_WORD.findall(phrase))))
    for clause in re.split(r"[.;:,()|/]", lowered):
        words = [w for w in _WORD.findall(clause) if w not in terms.stop_words and not w.isdigit()]
        stems = _stem_words(words)
        out += stems
        # Adjacent pairs, unless the pair is one of the field's phrases (counted once above).
        out += [f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False) if f"{a} {b}" not in out]
    return out


def cited_numbers(text: str) -> set[int]:
    """Recommendation numbers a plan's text names: "Recommendation 3", "Ofsted recs 2 and 7"."""
    found: set[int] = set()
    for m in load_terms().citation.finditer(text):
        found |= {int(n) for n in re.findall(r"\d{1,3}", m.group("numbers"))}
    return found


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _quotes(rec_words: list[str], text: str, min_words: int) -> bool:
    """Whether `text` quotes the recommendation: a run of `min_words` of its words, in order."""
    words = _words(text)
    if len(words) < min_words:
        return False
    m = difflib.SequenceMatcher(None, rec_words, words, autojunk=False).find_longest_match(
        0, len(rec_words), 0, len(words)
    )
    return m.size >= min_words


def theme_number(theme: str) -> str:
    m = _THEME_NUMBER.match(theme or "")
    return m.group(1) if m else ""


def _rec_number(rec: pd.Series) -> int:
    """The number a plan would cite: the printed label, else the place in its list."""
    m = re.match(r"\(?(\d{1,3})", str(rec["label"]))
    return int(m.group(1)) if m else int(rec["n_in_list"])


def _direct_citations(recs: pd.DataFrame, items: pd.DataFrame, min_words: int) -> dict:
    """(rec_n, item_id) -> why: the item names or quotes the recommendation itself."""
    out: dict[tuple[int, str], tuple[str, bool]] = {}
    by_number = {_rec_number(r): int(r["n"]) for _, r in recs.iterrows() if r["about"] != "LSCB"}
    rec_words = {int(r["n"]): _words(r["text"]) for _, r in recs.iterrows()}
    for _, item in items.iterrows():
        cell, own = str(item["cited"]), str(item["text"])
        for number in cited_numbers(f"{own} {cell}"):
            if number in by_number:
                out.setdefault(
                    (by_number[number], item["item_id"]),
                    (f"names recommendation {number}", bool(cell)),
                )
        for n, words in rec_words.items():
            for text, from_cell in ((cell, True), (own, False)):
                if text and _quotes(words, text, min_words):
                    out.setdefault((n, item["item_id"]), ("quotes it", from_cell))
    return out


def _block_citations(items: pd.DataFrame, direct: dict) -> dict:
    """(rec_n, item_id) -> why: its outcome's block, or the plan's theme of the same number,
    cites the recommendation (a mapping of outcomes and measures to recommendations)."""
    by_id = items.set_index("item_id")
    out: dict[tuple[int, str], str] = {}
    for (n, item_id), (_, from_cell) in direct.items():
        if not from_cell:
            continue  # a recommendation named in an action's own words is that action's
        item = by_id.loc[item_id]
        if not item["theme"]:
            continue
        same_plan = items[items["plan_id"] == item["plan_id"]]
        block = same_plan[
            (same_plan["table_index"] == item["table_index"])
            & (same_plan["theme"] == item["theme"])
            & (same_plan["cited"] == "")
        ]
        for other in block["item_id"]:
            out.setdefault((n, other), "its block cites it")
        number = theme_number(item["theme"])
        if number:
            themed = same_plan[
                (same_plan["theme_number"] == number)
                & (same_plan["table_index"] != item["table_index"])
            ]
            for other in themed["item_id"]:
                out.setdefault((n, other), f"theme {number} cites it")
    return out


def _surface(texts: list[str]) -> dict[str, str]:
    """Stem -> the word it was first written as, so shared terms read as words."""
    words = [w for t in texts for w in _words(_expand(t, {}))]
    return dict(reversed(list(zip(_stem_words(words), words, strict=True))))


def _shared_terms(names, rec_vec, item_vec, surface: dict[str, str]) -> str:
    weights = rec_vec.multiply(item_vec)
    if not weights.nnz:
        return ""
    order = sorted(zip(weights.data, weights.indices, strict=True), reverse=True)
    shown = [" ".join(surface.get(stem, stem) for stem in names[i].split()) for _, i in order]
    return "; ".join(list(dict.fromkeys(shown))[:MAX_SHARED_TERMS])


def recommendation_scores(
    recs: pd.DataFrame,
    items: pd.DataFrame,
    glossary: dict[str, str] | None = None,
    settings: LinkSettings | None = None,
) -> pd.DataFrame:
    """Every cited or text-similar (recommendation, item) pair of one inspection.

    `recs`: source, authority, n, label, text, about. `items`: plan_id, item_kind, item_id,
    item_ref, text (what it says), match_text (what it is matched on: with its theme and
    objective), cited (its recommendation column), theme, theme_number, table_index,
    status_meaning, item_source, item_page.
    """
    settings = settings or LinkSettings.default()
    if recs.empty or items.empty:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    recs = recs.assign(n_in_list=recs.groupby("about").cumcount() + 1)
    text = _TextMatch.fit(recs, items, glossary or {})
    direct = (
        _direct_citations(recs, items, settings.min_quote_words) if settings.use_citations else {}
    )
    block = _block_citations(items, direct)
    rows = []
    for i, (_, rec) in enumerate(recs.iterrows()):
        n = int(rec["n"])
        surface = _surface([rec["text"]])
        for j, (_, item) in enumerate(items.iterrows()):
            score = float(text.similarity[i, j])
            key = (n, item["item_id"])
            if key in direct:
                tier, why = TIER_CITED, direct[key][0]
            elif key in block:
                tier, why = TIER_BLOCK, block[key]
            elif score > 0:
                tier, why = TIER_TEXT, ""
            else:
                continue
            shared = text.shared_terms(i, j, surface)
            rows.append(_pair_row(rec, item, tier, score, "; ".join(t for t in (why, shared) if t)))
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    return _with_block_rounds(frame)[SCORE_COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class _TextMatch:
    """TF-IDF vectors of the recommendations and the items, and their cosine similarities."""

    rec_m: Any
    item_m: Any
    names: Any
    similarity: Any

    @classmethod
    def fit(cls, recs: pd.DataFrame, items: pd.DataFrame, glossary: dict[str, str]) -> _TextMatch:
        """Term weights from the plans' items: a word every action uses tells little."""
        vectorizer = TfidfVectorizer(
            analyzer=lambda text: text_to_terms(text, glossary), sublinear_tf=True, norm="l2"
        )
        item_m = vectorizer.fit_transform(items["match_text"])
        rec_m = vectorizer.transform(recs["text"])
        similarity = (rec_m @ item_m.T).toarray()
        return cls(rec_m, item_m, vectorizer.get_feature_names_out(), similarity)

    def shared_terms(self, i: int, j: int, surface: Any) -> str:
        """The terms recommendation i and item j share, as the report shows them."""
        return _shared_terms(self.names, self.rec_m[i], self.item_m[j], surface)


def _pair_row(rec: pd.Series, item: pd.Series, tier: int, score: float, terms: str) -> dict:
    """One (recommendation, item) pair's row of compare_recommendation_scores."""
    return {
        "source": rec["source"],
        "authority": rec["authority"],
        "rec_n": int(rec["n"]),
        "about": rec["about"],
        "plan_id": item["plan_id"],
        "item_kind": item["item_kind"],
        "item_id": item["item_id"],
        "item_ref": item["item_ref"],
        "tier": tier,
        "block_round": 0,
        "score": round(score, 4),
        "basis": "text" if tier == TIER_TEXT else "cited",
        "terms": terms,
        "item_text": item["text"],
        "status_meaning": item["status_meaning"],
        "item_source": item["item_source"],
        "item_page": item["item_page"],
        "_block": (item["plan_id"], item["table_index"], item["theme"]),
    }


def _with_block_rounds(frame: pd.DataFrame) -> pd.DataFrame:
    """Cited items one block at a time: the best of each block the plan cites it in, then
    the second best of each, so a recommendation mapped to three outcomes shows all three."""
    frame = frame.sort_values(
        ["rec_n", "tier", "score", "item_id"], ascending=[True, True, False, True]
    )
    cited = frame["tier"] < TIER_TEXT
    frame.loc[cited, "block_round"] = frame[cited].groupby(["rec_n", "tier", "_block"]).cumcount()
    frame["block_round"] = frame["block_round"].astype("int64")
    frame["tier"] = frame["tier"].astype("int64")
    return frame
