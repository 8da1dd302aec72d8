"""Match KPIs that measure the same thing across councils.

Councils word the same measure differently ("% Repeat Referrals to children's
social work" and "Percentage of referrals ... previously referred to social
care in preceding 12 months"). Each KPI's text is normalised (synonyms from
pipeline/data/kpi_synonyms.json, plural stripping, stopwords dropped) and
matched to a shared list of common measures (pipeline/data/kpi_measures.json):
a measure matches when every one of its required keyword groups is present and
an alias scores at least `min_score` by rapidfuzz's token_set_ratio. The
required keywords stop token_set_ratio's subset rule (any alias whose words all
occur scores 100) from matching loosely related text.

KPIs that match no common measure are clustered: two are grouped when their
core texts score at least `cluster_threshold` by token_sort_ratio (order-free,
but unlike token_set_ratio a short text is not a perfect match for a long one
that contains it). Clusters are single-link, so grouping does not depend on
input order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from rapidfuzz import fuzz, process

from planx.pipeline.data_files import read_data_json
from planx.schemas.settings import resolve_settings

# An alias must score this (0-100, token_set_ratio) for a common measure to match.
DEFAULT_MIN_SCORE = 85.0
# Unmatched KPIs whose core texts score this (token_sort_ratio) are one measure.
DEFAULT_CLUSTER_THRESHOLD = 88.0
CLUSTER_BLOCK = 2000  # rows of the pairwise score matrix computed at a time (bounds memory)
OTHER_PREFIX = "other:"
MAX_KEY_CHARS = 60

MatchKind = Literal["common", "cluster", "unique", "empty"]


@dataclass(frozen=True)
class KpiMatchSettings:
    min_score: float = DEFAULT_MIN_SCORE
    cluster_threshold: float = DEFAULT_CLUSTER_THRESHOLD

    def __post_init__(self) -> None:
        for name in ("min_score", "cluster_threshold"):
            value = getattr(self, name)
            if not 0 <= value <= 100:
                raise ValueError(
                    f"KPI match setting '{name}' must be between 0 and 100, not {value}"
                )

    @classmethod
    def resolve(cls, settings: KpiMatchSettings | dict[str, Any] | None) -> KpiMatchSettings:
        """Settings from None, a dict or an instance (schemas.settings.resolve_settings)."""
        return resolve_settings(cls, settings, "KPI match")


@dataclass(frozen=True)
class Normalised:
    """A KPI's text reduced for matching: `core` without basis words, `basis` what it counts."""

    core: str
    basis: str  # "percent", "count", "average" or ""


@dataclass(frozen=True)
class CommonMeasure:
    key: str
    label: str
    aliases: tuple[str, ...]  # normalised
    require: tuple[tuple[re.Pattern[str], ...], ...]


@dataclass(frozen=True)
class MeasureMatch:
    measure_key: str
    measure_label: str
    match_score: float
    match_kind: MatchKind
    basis: str
    core: str


@dataclass(frozen=True)
class _Lexicon:
    pattern: re.Pattern[str]
    canonical: dict[str, str]
    stopwords: frozenset[str]
    basis_words: dict[str, str]
    irregular: dict[str, str]


@cache
def load_lexicon() -> _Lexicon:
    data = read_data_json("kpi_synonyms.json")
    canonical: dict[str, str] = {}
    for canon, variants in data["synonyms"].items():
        # A canonical form maps to itself, so a second pass never expands it again.
        for variant in (canon, *variants):
            canonical.setdefault(variant.lower(), canon)
    # One alternation, longest first, so "cp plan" wins over "cp" and replaced text is not rescanned.
    alternation = "|".join(re.escape(v) for v in sorted(canonical, key=lambda v: (-len(v), v)))
    pattern = re.compile(rf"(?<![\w+])(?:{alternation})(?![\w+])")
    return _Lexicon(
        pattern=pattern,
        canonical=canonical,
        stopwords=frozenset(data["stopwords"]),
        basis_words=dict(data["basis_words"]),
        irregular=dict(data["irregular_plurals"]),
    )


def _singular(token: str, irregular: dict[str, str]) -> str:
    """Plural to singular, roughly: enough that 'referrals' meets 'referral'."""
    if token in irregular:
        return irregular[token]
    if len(token) <= 3 or not token.isalpha():
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith("sses"):
        return token[:-2]
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def text_to_normalised(text: str) -> Normalised:
    """Lower-case, expand synonyms, strip plurals and stopwords; basis words are set aside."""
    lex = load_lexicon()
    t = text.lower().replace("\u2019", "'").replace("%", " percentage ")
    t = re.sub(r"(\d)(?!(?:st|nd|rd|th)\b)([a-z])", r"\1 \2", t)  # "12mths" -> "12 mths", not "2nd"
    t = re.sub(r"'s\b", "", t)  # "children's" -> "children"
    t = t.replace("\u2013", "-").replace("\u2014", "-")
    t = re.sub(r"[^\w\s&/+.'-]", " ", t)
    t = re.sub(r"\.(?!\d)", " ", t)  # keep "2.5", drop full stops
    t = " ".join(t.split())
    t = lex.pattern.sub(lambda m: lex.canonical[m.group(0)], t)
    # Plural stripping before a second synonym pass catches forms only listed in the singular.
    tokens = [_singular(tok, lex.irregular) for tok in re.split(r"[\s/'&-]+", t) if tok]
    t = lex.pattern.sub(lambda m: lex.canonical[m.group(0)], " ".join(tokens))
    basis = ""
    core: list[str] = []
    for tok in t.split():
        if tok in lex.basis_words:
            basis = basis or lex.basis_words[tok]
        elif tok not in lex.stopwords:
            core.append(tok)
    return Normalised(core=" ".join(core), basis=basis)


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    body = text_to_normalised(phrase.rstrip("*")).core or phrase.rstrip("*").lower()
    tail = r"\S*" if phrase.endswith("*") else r"(?!\S)"
    return re.compile(rf"(?<!\S){re.escape(body)}{tail}")


@cache
def load_measures() -> tuple[CommonMeasure, ...]:
    measures = []
    for m in read_data_json("kpi_measures.json")["measures"]:
        measures.append(
            CommonMeasure(
                key=m["key"],
                label=m["label"],
                aliases=tuple(text_to_normalised(a).core for a in m["aliases"]),
                require=tuple(tuple(_phrase_pattern(p) for p in group) for group in m["require"]),
            )
        )
    return tuple(measures)


def core_to_common(
    core: str, settings: KpiMatchSettings | None = None
) -> tuple[CommonMeasure, float] | None:
    """The best common measure for a normalised text, with its score; ties go to the one listed first."""
    settings = KpiMatchSettings.resolve(settings)
    best: tuple[CommonMeasure, float] | None = None
    for measure in load_measures():
        if not all(any(p.search(core) for p in group) for group in measure.require):
            continue
        score = max(fuzz.token_set_ratio(core, alias) for alias in measure.aliases)
        if score >= settings.min_score and (best is None or score > best[1]):
            best = (measure, score)
    return best


def core_to_key(core: str) -> str:
    slug = re.sub(r"[^a-z0-9+]+", "_", core).strip("_")[:MAX_KEY_CHARS].rstrip("_")
    return OTHER_PREFIX + (slug or "blank")


def measures_to_matches(
    measures: Iterable[tuple[str, str]], settings: KpiMatchSettings | dict | None = None
) -> dict[str, MeasureMatch]:
    """(kpi_id, measure text) pairs -> kpi_id: match. Deterministic whatever the input order."""
    settings = KpiMatchSettings.resolve(settings)
    items = sorted(set(measures))
    out: dict[str, MeasureMatch] = {}
    leftovers: list[tuple[str, str, Normalised]] = []
    for kpi_id, text in items:
        norm = text_to_normalised(text)
        if not norm.core:
            out[kpi_id] = MeasureMatch(
                core_to_key(""), "(no measure text)", 0.0, "empty", norm.basis, ""
            )
            continue
        hit = core_to_common(norm.core, settings)
        if hit:
            measure, score = hit
            out[kpi_id] = MeasureMatch(
                measure.key, measure.label, round(score, 1), "common", norm.basis, norm.core
            )
        else:
            leftovers.append((kpi_id, text, norm))
    out.update(_cluster(leftovers, settings.cluster_threshold))
    return out


def _cluster(items: list[tuple[str, str, Normalised]], threshold: float) -> dict[str, MeasureMatch]:
    """Single-link clusters over distinct core texts, keyed by the smallest core text in each.

    The label is the shortest wording (as written) among the KPIs with that core text.
    """
    cores = sorted({norm.core for _, _, norm in items})
    parent = {c: c for c in cores}

    def root(c: str) -> str:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    # All pairs at once in rapidfuzz's C++ (scores under the threshold come back as 0).
    for start in range(0, len(cores), CLUSTER_BLOCK):
        block = cores[start : start + CLUSTER_BLOCK]
        scores = process.cdist(block, cores, scorer=fuzz.token_sort_ratio, score_cutoff=threshold)
        for i, j in zip(*scores.nonzero(), strict=True):
            if start + i < j:
                ra, rb = root(block[i]), root(cores[j])
                parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for c in cores:
        members.setdefault(root(c), []).append(c)
    labels: dict[str, str] = {}
    for _, text, norm in items:
        if norm.core == root(norm.core):
            labels[norm.core] = min(labels.get(norm.core, text), text, key=lambda t: (len(t), t))
    out = {}
    for kpi_id, _, norm in items:
        rep = root(norm.core)
        group = members[rep]
        kind: MatchKind = "cluster" if len(group) > 1 else "unique"
        score = 100.0 if norm.core == rep else round(fuzz.token_sort_ratio(norm.core, rep), 1)
        label = " ".join(labels[rep].split())
        out[kpi_id] = MeasureMatch(core_to_key(rep), label, score, kind, norm.basis, norm.core)
    return out
