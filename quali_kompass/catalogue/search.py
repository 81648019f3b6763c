"""Full-text search of the catalogue: match a German query against the index, rank the material, mark the hits.

How a query runs (two statements, whatever the number of results):
1. One look-up in the vocabulary finds, for each query word, the terms that match it: the same stem (×4), terms
   that start with it (×2, "Datens" → "Datenschutz") and compounds that end with it (×2, "Schulung" →
   "Datenschutzschulung"). Prefix and suffix matches are index range scans on byte-ordered columns
   (``term >= 'datens' AND term < 'datent'``), so SQLite and PostgreSQL find the same terms.
2. The ranking reads the postings of those terms and keeps the material that matches every word (AND); a
   material's rank is the sum over the words of its best posting score × the match weight. Integers only, ties
   broken by material id: the order is the same on both databases.

Very common words stay fast: stop words never reach the index, a word expands to at most
``EXPANSIONS_PER_WORD`` prefix and compound terms (the most frequent first), and of each term only the
``POSTINGS_PER_TERM`` best postings count, read in order from the index on (term_id, score). A word found in more
materials than that finds only its best-scored ones; the hit count is then a lower bound.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from sqlalchemy import Select, Subquery, and_, false, func, literal, select, union_all
from sqlalchemy.orm import Session

from quali_kompass.catalogue.models import Material, SearchPosting, SearchTerm
from quali_kompass.catalogue.search_analysis import (
    MAX_QUERY_WORDS,
    MIN_COMPOUND_HEAD,
    QueryToken,
    query_tokens,
    word_spans,
)
from quali_kompass.catalogue.search_index import searchable_fields  # its import installs the index events

# At most 8 words × (1 + 20 + 20) terms: 328 arms of one UNION, below SQLite's limit of 500.
EXPANSIONS_PER_WORD = 20
POSTINGS_PER_TERM = 1000
MATCH_WEIGHTS = {"exact": 4, "prefix": 2, "compound": 2}
SNIPPET_LENGTH = 220  # characters of text around the first hit
SNIPPET_LEAD = 60  # of which before it


@dataclass(frozen=True)
class SearchMatch:
    """The words of a query and, for each word, the index terms that match it with their weights."""

    tokens: list[QueryToken]
    terms: list[list[tuple[int, int]]] = field(default_factory=list)  # per word: (term id, match weight)

    @property
    def can_match(self) -> bool:
        return bool(self.tokens) and all(self.terms)


def _after(prefix: str) -> str:
    """The smallest string greater than every string that starts with ``prefix`` (in code point order)."""
    following = ord(prefix[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:  # surrogates cannot be stored; the next character is U+E000
        following = 0xE000
    return prefix[:-1] + chr(following)


def _limited(statement: Select) -> Select:
    """A statement with ORDER BY and LIMIT as one arm of a UNION (SQLite wants those inside a subquery)."""
    subquery = statement.subquery()
    return select(*subquery.c)


def find(session: Session, text: str) -> SearchMatch:
    """Analyse the query and look up its words in the vocabulary (one statement)."""
    tokens = query_tokens(text, MAX_QUERY_WORDS)
    if not tokens:
        return SearchMatch(tokens)
    columns = (SearchTerm.id, SearchTerm.term)
    most_frequent_first = (SearchTerm.document_count.desc(), SearchTerm.term)
    arms = []
    for token in tokens:
        arms.append(select(*columns).where(SearchTerm.term == token.stem))
        if token.prefix:
            arms.append(
                _limited(
                    select(*columns)
                    .where(SearchTerm.term >= token.prefix, SearchTerm.term < _after(token.prefix))
                    .order_by(*most_frequent_first)
                    .limit(EXPANSIONS_PER_WORD)
                )
            )
        if token.tail:
            tail = token.tail[::-1]
            arms.append(
                _limited(
                    select(*columns)
                    .where(
                        SearchTerm.reversed_term >= tail,
                        SearchTerm.reversed_term < _after(tail),
                        func.length(SearchTerm.term) >= len(tail) + MIN_COMPOUND_HEAD,
                    )
                    .order_by(*most_frequent_first)
                    .limit(EXPANSIONS_PER_WORD)
                )
            )
    found = sorted({(row.id, row.term) for row in session.execute(union_all(*arms))})
    terms = []
    for token in tokens:
        weights = []
        for term_id, term in found:
            kind = token.match_kind(term)
            if kind is not None:
                weights.append((term_id, MATCH_WEIGHTS[kind]))
        terms.append(weights)
    return SearchMatch(tokens, terms)


def ranking(match: SearchMatch) -> Subquery:
    """(material_id, rank) of every material that matches all words of the query; empty if none can."""
    if not match.can_match:
        return select(Material.id.label("material_id"), literal(0).label("rank")).where(false()).subquery("ranking")
    arms = [
        _limited(
            select(
                SearchPosting.material_id,
                literal(number).label("word"),
                (SearchPosting.score * weight).label("score"),
            )
            .where(SearchPosting.term_id == term_id)
            .order_by(SearchPosting.score.desc(), SearchPosting.material_id.desc())
            .limit(POSTINGS_PER_TERM)
        )
        for number, weights in enumerate(match.terms)
        for term_id, weight in weights
    ]
    candidates = (union_all(*arms) if len(arms) > 1 else arms[0]).subquery("search_candidates")
    per_word = (
        select(candidates.c.material_id, candidates.c.word, func.max(candidates.c.score).label("score"))
        .group_by(candidates.c.material_id, candidates.c.word)
        .subquery("search_words")
    )
    return (
        select(per_word.c.material_id, func.sum(per_word.c.score).label("rank"))
        .group_by(per_word.c.material_id)
        .having(func.count() == len(match.tokens))
        .subquery("ranking")
    )


def ranked_ids(session: Session, match: SearchMatch, limit: int = 20) -> list[int]:
    """The ids of the best published matches, best first (for tests and the command line)."""
    ranks = ranking(match)
    statement = (
        select(Material.id)
        .join(ranks, and_(ranks.c.material_id == Material.id, Material.status == "published"))
        .order_by(ranks.c.rank.desc(), Material.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


# Highlighting ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Snippet:
    """What a result card shows: its title and an excerpt of its best-matching text, the hits in <mark>."""

    title: Markup
    text: Markup
    field: str | None  # where the excerpt comes from: "summary", "body", "step" or "transcript"; None: no hit
    step: int | None = None  # the step's number, for excerpts from a click-through guide


def _hits(text: str, tokens: Sequence[QueryToken]) -> list[tuple[int, int, int]]:
    """(start, end, word number) of the words of ``text`` that match a query word."""
    hits = []
    for start, end, term in word_spans(text):
        for number, token in enumerate(tokens):
            if token.match_kind(term) is not None:
                hits.append((start, end, number))
                break
    return hits


def _marked(text: str, hits: Iterable[tuple[int, int, int]], start: int = 0, end: int | None = None) -> Markup:
    """``text[start:end]`` escaped, with the hits inside it in <mark>."""
    end = len(text) if end is None else end
    parts = []
    position = start
    for hit_start, hit_end, _ in hits:
        if hit_start < start or hit_end > end:
            continue
        parts.append(escape(text[position:hit_start]))
        parts.append(Markup("<mark>{}</mark>").format(text[hit_start:hit_end]))
        position = hit_end
    parts.append(escape(text[position:end]))
    return Markup("").join(parts)


def _excerpt(text: str, hits: list[tuple[int, int, int]]) -> Markup:
    """About ``SNIPPET_LENGTH`` characters around the first hit, cut at spaces, with "…" where text is left out."""
    first = hits[0][0] if hits else 0
    start = max(0, first - SNIPPET_LEAD)
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):
        space = text.rfind(" ", max(start, hits[0][1] if hits else start), end)
        end = space if space != -1 else end
    excerpt = _marked(text, hits, start, end)
    return Markup("{}{}{}").format("… " if start > 0 else "", excerpt, " …" if end < len(text) else "")


def snippet(material: Material, match: SearchMatch) -> Snippet:
    """The title and the best excerpt of one material for this query (tools, topic and steps must be loaded)."""
    names = [tool.name for tool in material.tools]
    names.extend(topic.name for topic in (material.topic, material.topic.parent) if topic is not None)
    steps = material.steps if material.kind == "guide" else []
    fields = searchable_fields(material, steps, names)
    tokens = match.tokens
    title = _marked(material.title, _hits(material.title, tokens))
    best = None
    step_number = 0
    for name, weight, text in fields:
        if name in ("title", "tools"):  # the card shows both in full anyway
            continue
        if name == "step":
            step_number += 1
        text = " ".join(text.split())
        hits = _hits(text, tokens)
        if not hits:
            continue
        # The field that matches the most query words wins; among equals the heavier field, then the first.
        key = (len({number for _, _, number in hits}), weight)
        if best is None or key > best[0]:
            best = (key, name, text, hits, step_number if name == "step" else None)
    if best is None:
        summary = " ".join((material.summary or "").split())
        return Snippet(title, _excerpt(summary, []) if summary else Markup(""), None)
    _, name, text, hits, step = best
    return Snippet(title, _excerpt(text, hits), name, step)


def snippets(materials: Iterable[Material], match: SearchMatch) -> dict[int, Snippet]:
    return {material.id: snippet(material, match) for material in materials}
