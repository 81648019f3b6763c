"""German text analysis for the catalogue search: one analyser for indexing and for queries.

Everything happens here in Python, not in the database, so that SQLite and PostgreSQL index and match the very same
terms. A word goes through: NFKC, casefold, ä→ae ö→oe ü→ue ß→ss (other accents dropped), German stop words out,
German Snowball stem. The Snowball stemmer maps ae/oe/ue on to a/o/u itself, so "Übersicht", "Uebersicht" and
"Ubersicht" end up as one stem (since Snowball 3, hence the version range in pyproject.toml); ``collapse`` does
the same for prefixes of words that are still being typed.

Changing anything here changes the terms: run ``flask --app quali_kompass search-reindex`` afterwards.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

MAX_QUERY_LENGTH = 200  # characters of a search that count; the rest is ignored
MAX_QUERY_WORDS = 8  # distinct words of a search that count
MAX_TERM_LENGTH = 64  # longer "words" are codes or garbage, not worth a term
MIN_PREFIX_LENGTH = 3  # "Dat" already finds "Datenschutz" while typing
MIN_COMPOUND_TAIL = 4  # "Akte" must not find "Kontakt": the head of a compound has at least 4 letters …
MIN_COMPOUND_HEAD = 3  # … and what comes before it at least 3
TERM_FREQUENCY_CAP = 3  # a word repeated ten times in the body does not outweigh the title

# The Snowball German stop word list (snowballstem.org), spelled as people write it; folded on import.
_STOP_WORDS = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes anderm andern anderr
anders auch auf aus bei bin bis bist da damit dann der den des dem die das daß dass derselbe derselben denselben
desselben demselben dieselbe dieselben dasselbe dazu dein deine deinem deinen deiner deines denn derer dessen dich
dir du dies diese diesem diesen dieser dieses doch dort durch ein eine einem einen einer eines einig einige einigem
einigen einiger einiges einmal er ihn ihm es etwas euer eure eurem euren eurer eures für gegen gewesen hab habe
haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren ihrer ihres euch im in indem ins ist jede
jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines können
könnte machen man manche manchem manchen mancher manches mein meine meinem meinen meiner meines mit muss musste
nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem seinen seiner seines selbst sich sie ihnen sind
so solche solchem solchen solcher solches soll sollte sondern sonst über um und uns unsere unserem unseren unser
unseres unter viel vom von vor während war waren warst was weg weil weiter welche welchem welchen welcher welches
wenn werde werden wie wieder will wir wird wirst wo wollen wollte würde würden zu zum zur zwar zwischen
"""

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
# Gender-inclusive endings ("Mitarbeiter:innen", "Kolleg*innen") count as the word itself.
_GENDER_ENDING = re.compile(r"(?<=[^\W_])[:*_](?:innen|in)\b")
# A word: letters and digits, parts joined by hyphens ("E-Akte", "E-Mail-Postfach") kept together as one group.
_WORD_GROUP = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")
_PART = re.compile(r"[^\W_]+")
# What the Snowball German stemmer does to ae/oe/ue (not after q, as in "Quelle").
_COLLAPSE = re.compile(r"(?<!q)([aou])e")
# Stemming "xaxax" + word stems the word as the last part of a long compound (see ``compound_tail``).
_COMPOUND_PAD = "xaxax"

_stemmer = snowballstemmer.stemmer("german")


def fold(text: str) -> str:
    """NFKC, casefold, umlauts and ß spelled out, other accents dropped: "Straße" → "strasse", "Café" → "cafe"."""
    text = _GENDER_ENDING.sub("", unicodedata.normalize("NFKC", text).casefold().translate(_UMLAUTS))
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(char for char in decomposed if not unicodedata.combining(char)))


def collapse(folded: str) -> str:
    """ae/oe/ue as the stemmer writes them (a/o/u), for comparing word beginnings with stems."""
    return _COLLAPSE.sub(r"\1", folded)


STOP_WORDS = frozenset(fold(word) for word in _STOP_WORDS.split())


@lru_cache(maxsize=65536)
def stem(folded: str) -> str:
    """The German Snowball stem of a folded word: "schulungen" → "schulung"."""
    return _stemmer.stemWord(folded)


@lru_cache(maxsize=65536)
def compound_tail(folded: str) -> str:
    """The stem the word gets as the last part of a compound, or "" if too short to look for in compounds.

    Snowball cuts more off a long word than off a short one ("Schulung" → "schulung", but "Datenschutzschulung"
    → "datenschutzschul"), so "schulung" is not the end of the compound's stem; "schul" is.
    """
    padded = stem(_COMPOUND_PAD + folded)
    if not padded.startswith(_COMPOUND_PAD):
        return ""
    tail = padded[len(_COMPOUND_PAD) :]
    return tail if len(tail) >= MIN_COMPOUND_TAIL else ""


def _usable(part: str) -> bool:
    return (len(part) >= 2 or part.isdigit()) and len(part) <= MAX_TERM_LENGTH and part not in STOP_WORDS


def words(text: str) -> Iterator[str]:
    """The folded words of a text without stop words; a hyphenated word also as a whole ("eakte" for "E-Akte")."""
    for group in _WORD_GROUP.finditer(fold(text)):
        parts = _PART.findall(group.group(0))
        for part in parts:
            if _usable(part):
                yield part
        if len(parts) > 1:
            joined = "".join(parts)
            if len(joined) <= MAX_TERM_LENGTH:
                yield joined


def terms(text: str) -> Iterator[str]:
    """The index terms (stems) of a text, in order, repeated as often as they occur."""
    for word in words(text):
        yield stem(word)


def document_scores(fields: Iterable[tuple[int, str]]) -> dict[str, int]:
    """Integer score per term of a document from (weight, text) fields: weight × occurrences (at most 3)."""
    scores: Counter[str] = Counter()
    for weight, text in fields:
        if not text:
            continue
        for term, count in Counter(terms(text)).items():
            scores[term] += weight * min(count, TERM_FREQUENCY_CAP)
    return dict(scores)


@dataclass(frozen=True)
class QueryToken:
    """One word of a query and the three ways a term of the index can match it."""

    word: str  # folded, as typed
    stem: str  # exact match: the same stem ("Schulungen" finds "Schulung")
    prefix: str  # terms starting with this ("Datens" finds "Datenschutz"); "" if too short
    tail: str  # terms ending with this are compounds of the word ("Schulung" finds "Datenschutzschulung"); or ""

    def match_kind(self, term: str) -> str | None:
        """How ``term`` matches: "exact", "prefix", "compound" or None; the same rule as the database lookup."""
        if term == self.stem:
            return "exact"
        if self.prefix and term.startswith(self.prefix):
            return "prefix"
        if self.tail and term.endswith(self.tail) and len(term) >= len(self.tail) + MIN_COMPOUND_HEAD:
            return "compound"
        return None


def query_tokens(text: str, limit: int) -> list[QueryToken]:
    """The distinct words of a search (stop words dropped), at most ``limit`` of them."""
    tokens: dict[str, QueryToken] = {}
    for group in _WORD_GROUP.finditer(fold(text)):
        # The parts of "Datenschutz-Schulung" are matched one by one, so that it finds "Datenschutzschulung" too.
        for word in _PART.findall(group.group(0)):
            if not _usable(word):
                continue
            word_stem = stem(word)
            if word_stem in tokens:
                continue
            # The stem is the better prefix ("schulungen" → "schulung" also finds "Schulungsplan"), unless it is
            # so short that it finds unrelated words ("akten" → "akt" would find "aktuell").
            prefix = word_stem if len(word_stem) >= 4 else collapse(word)
            tokens[word_stem] = QueryToken(
                word=word,
                stem=word_stem,
                prefix=prefix if len(prefix) >= MIN_PREFIX_LENGTH else "",
                tail=compound_tail(word),
            )
            if len(tokens) >= limit:
                return list(tokens.values())
    return list(tokens.values())


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, stem) of every word of the original text, for highlighting; stop words are left out."""
    for match in _PART.finditer(text):
        folded = fold(match.group(0))
        # NFKC may split one character into several word characters; what counts is the word as a whole.
        for part in _PART.findall(folded):
            if _usable(part):
                yield match.start(), match.end(), stem(part)
                break
