"""Text to search terms, the same on every database backend.

Latin text: lower case, accents dropped, split on anything but letters and digits, a light English stemmer
(plurals, -ing, -ed) so "courses" finds "course". Chinese: segmented with jieba; a document keeps the precise
segmentation in order (phrase matching: 机器学习 is the phrase 机器 学习) and adds jieba's search-mode sub-words
after it (学习 alone finds 机器学习实战). A query's Chinese run becomes one phrase of its precise segmentation.
"""

import re
import unicodedata
from dataclasses import dataclass

import jieba

jieba.setLogLevel(60)

#: a run of Han characters, or a run of letters/digits of other scripts
_HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_HAN_CHARS}]+|[^\W_{_HAN_CHARS}]+", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MAX_QUERY_TERMS = 12
MAX_TERM_LENGTH = 40


def warm_up() -> None:
    """Load jieba's dictionary now (about a second: its prefix dictionary is built or read from its cache), so a
    server process pays it at start-up rather than on its first Chinese search."""
    jieba.initialize()


def is_han(text: str) -> bool:
    return bool(_HAN.match(text))


def fold(text: str) -> str:
    """Lower case without accents (NFKD, combining marks dropped); full-width forms folded too."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """A deliberately light English stemmer: the same on documents and queries, so it only has to be
    consistent; it merges plurals and -ing/-ed forms of words longer than four letters."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":  # running -> runn -> run
        word = word[:-1]
    return word


def normalise_query(text: str) -> str:
    """The query as logged and compared: folded, whitespace collapsed, at most 100 characters."""
    return " ".join(fold(text).split())[:100]


def _han_words(run: str, *, search_mode: bool) -> list[str]:
    cut = jieba.cut_for_search(run) if search_mode else jieba.cut(run)
    return [w for w in cut if w.strip() and _RUN.fullmatch(w)]


def document_terms(text: str) -> list[str]:
    """The terms of a document field, in order (phrase positions), then the Chinese sub-words."""
    terms: list[str] = []
    extra: list[str] = []
    for run in _RUN.findall(fold(text)):
        if is_han(run):
            precise = _han_words(run, search_mode=False)
            terms += precise
            extra += [w for w in _han_words(run, search_mode=True) if w not in precise]
        else:
            terms.append(stem(run)[:MAX_TERM_LENGTH])
    return terms + extra


@dataclass(frozen=True)
class QueryPart:
    """One required part of a query: a single term, or a phrase (a Chinese run's words in order)."""

    terms: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.terms) > 1


def query_parts(text: str) -> list[QueryPart]:
    """The parts every match must contain (AND), at most :data:`MAX_QUERY_TERMS` terms in all."""
    parts: list[QueryPart] = []
    budget = MAX_QUERY_TERMS
    for run in _RUN.findall(fold(text)):
        words = _han_words(run, search_mode=False) if is_han(run) else [stem(run)[:MAX_TERM_LENGTH]]
        words = words[:budget]
        if words:
            parts.append(QueryPart(tuple(words)))
            budget -= len(words)
        if budget <= 0:
            break
    return list(dict.fromkeys(parts))


def latin_words(text: str) -> list[str]:
    """The Latin-script words of ``text`` as typed (folded, not stemmed): the typo-correction vocabulary."""
    return [w for w in _RUN.findall(fold(text)) if w.isascii() and w.isalpha() and 3 <= len(w) <= MAX_TERM_LENGTH]


def replace_words(text: str, replacements: dict[str, str]) -> str:
    """``text`` folded, its words replaced (the corrected query as shown)."""
    return " ".join(replacements.get(w, w) for w in _RUN.findall(fold(text)))


def prefix_source(text: str) -> str:
    """The last word of a query as typed (folded, not stemmed): autocomplete matches it as a prefix."""
    runs = _RUN.findall(fold(text))
    return runs[-1][:MAX_TERM_LENGTH] if runs else ""


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity`` of two single words (shared trigrams over all trigrams)."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0
