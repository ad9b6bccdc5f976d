"""Tolerant matching of the labels schools write against the labels a form defines.

Schools retype the template: they drop or add words, change case, type without
diacritics or in NFD, renumber ("1.", "a)", "II.", "-"), add a colon or template
dots, and put the value on the same line. A label is matched by comparing its set
of folded words with every alias of every field (Dice similarity, with most of the
alias required), so "Họ và tên của người đăng ký" still finds ``full_name`` while
the one-word alias "Trường" never claims "Trường hợp cụ thể".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from thidua.parsers.forms.definitions import FieldLabels
from thidua.parsers.forms.normal import clean, fold
from thidua.parsers.forms.template import is_template_hint

# Words that carry no meaning in a label: "Họ và tên" is "Họ tên", "Các bước" is "bước".
STOP_WORDS = frozenset(
    [
        "va",
        "cua",
        "cac",
        "nhung",
        "se",
        "duoc",
        "la",
        "ve",
        "cho",
        "voi",
        "mot",
        "trong",
        "khi",
        "sau",
        "tai",
        "o",
        "hoac",
    ]
)
# A label must share this much of an alias's words, and reach this Dice similarity
# (2·shared / (label words + alias words)) with it.
ALIAS_COVERAGE = 0.75
THRESHOLD = 0.75
# Dice ≥ THRESHOLD with ALIAS_COVERAGE means sharing at least this part of the
# label's own words: THRESHOLD / (2 - THRESHOLD), i.e. 0.6 (a cheap early reject).
_MIN_SHARE = THRESHOLD / (2 - THRESHOLD) - 1e-9
# An alias found at the start of a line without colon or dots must be this long,
# so that a value starting with "Trường …" is not read as a label.
MIN_PREFIX_WORDS = 2

# "1.", "1)", "1/", "1 -", "3.1.", "II.", "a)", "đ)" and bullets "-", "+", "•"
_NUMBERING = re.compile(
    r"^\s*(?:(?P<num>\d{1,3}(?:\.\d{1,3})*)\s*[.):/-]|(?P<roman>[IVXLC]{1,6})\s*[.):/-]|(?P<letter>[a-zđA-ZĐ])\s*[.)/])\s+"
    r"|^\s*(?P<num2>\d{1,3})[.)/](?=\S)"
    r"|^\s*(?P<bullet>[-+•*·–—▪●○■□✓])\s*"
)
# Between a label and an inline value: a colon, template dots ("……", ". . .", "___").
_SEPARATOR = re.compile(r"\s*(?::|(?:[.…_·]\s*){2,}|…)\s*")
_WORD = re.compile(r"[^\W_]+")
_PARENTHESES = re.compile(r"\([^()]*\)?")
# Template dots at either end of a value.
_LEADING_FILLER = re.compile(r"^(?:[\s:;]|[.…_·](?=\s*[.…_·])|…)+")
_TRAILING_FILLER = re.compile(r"(?:\s*(?:[.…_·]\s*){2,}|\s*…+\s*)$")
_LABEL_END = re.compile(r"(?:\s*(?:[.…_·]\s*){2,}|\s*…+\s*|\s*[:;.]\s*)+$")
_DOTS_ONLY = re.compile(r"^[\s.…·_\-–—:;,]*$")


@dataclass(frozen=True)
class Numbering:
    """What precedes a label: "4." → style "number", value 4; "-" → style "bullet"."""

    style: str  # "number" | "roman" | "letter" | "bullet" | ""
    number: int | None
    text: str  # the numbering as written


def split_numbering(text: str) -> tuple[Numbering, str]:
    match = _NUMBERING.match(text)
    if not match:
        return Numbering("", None, ""), text.strip()
    rest = text[match.end() :].strip()
    if match.group("bullet"):
        return Numbering("bullet", None, match.group(0).strip()), rest
    if match.group("roman"):
        return Numbering("roman", None, match.group(0).strip()), rest
    if match.group("letter"):
        return Numbering("letter", None, match.group(0).strip()), rest
    digits = match.group("num") or match.group("num2")
    if not rest:
        return Numbering("", None, ""), text.strip()  # a bare number is a value, not numbering
    return Numbering("number", int(digits.split(".")[0]), match.group(0).strip()), rest


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """Folded words of a text, in order (stop words kept)."""
    return tuple(fold(text).split())


def _meaningful(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(t for t in tokens if t not in STOP_WORDS)


@lru_cache(maxsize=8192)
def label_variants(text: str) -> tuple[frozenset[str], ...]:
    """The word sets a written label can mean: as written, and without its
    parenthetical hints ("Thực trạng (tồn tại)" is also "Thực trạng")."""
    full = _meaningful(words(text))
    if "(" not in text:
        return (full,)
    core = _meaningful(words(_PARENTHESES.sub(" ", text)))
    return (full, core) if core and core != full else (full,)


def is_filler(text: str | None) -> bool:
    """Empty, or only the template's dots and punctuation."""
    return not text or bool(_DOTS_ONLY.match(text))


def value_text(raw: str | None) -> str:
    """A filled-in value without the template's dots around it, NFC; "" when the
    school left only the dots. Each line is trimmed; dotted lines are dropped."""
    lines = []
    for line in clean(raw).split("\n"):
        line = _TRAILING_FILLER.sub("", _LEADING_FILLER.sub("", line)).strip()
        if not is_filler(line):
            lines.append(line)
    return "\n".join(lines)


@dataclass(frozen=True)
class _Alias:
    key: str
    text: str
    tokens: frozenset[str]
    sequence: tuple[str, ...]  # folded words in order, for "label at the start of a line"


@dataclass(frozen=True)
class LabelMatch:
    key: str
    label: str  # as the school wrote it: NFC, no numbering, no trailing colon or dots
    value: str  # text after the label on the same line, raw ("" when none)
    score: float
    alias: str  # the alias that matched best
    numbering: Numbering
    separated: bool  # the value was set off by a colon or template dots
    whole: bool  # the line is only a label (no value on it)

    @property
    def strong(self) -> bool:
        """Written like a label: numbered, or followed by a colon/dots, or exactly a known label."""
        return self.numbering.style in ("number", "roman", "letter") or self.separated or self.score >= 0.999


@dataclass(frozen=True)
class CellMatch:
    key: str
    label: str  # the header as written, on one line
    score: float


class LabelMatcher:
    """Matches labels against a set of fields. Build once per form definition."""

    def __init__(self, fields: Iterable[FieldLabels]) -> None:
        self.fields = tuple(fields)
        aliases = [
            _Alias(field.key, text, _meaningful(words(text)), words(text))
            for field in self.fields
            for text in field.all
            if _meaningful(words(text))
        ]
        self._aliases = tuple(aliases)
        self._longest = max(len(a.tokens) for a in aliases)
        self._vocabulary_all = frozenset(t for a in aliases for t in a.tokens)
        # every word any wording of a field uses: what may follow a label and still be label
        vocabulary: dict[str, set[str]] = {}
        containing: dict[str, list[int]] = {}  # word -> aliases using it, to score only those
        by_key: dict[str, list[_Alias]] = {}
        by_first: dict[str, list[_Alias]] = {}
        for index, alias in enumerate(aliases):
            vocabulary.setdefault(alias.key, set(STOP_WORDS)).update(alias.sequence)
            for token in alias.tokens:
                containing.setdefault(token, []).append(index)
            by_key.setdefault(alias.key, []).append(alias)
            if len(alias.sequence) >= MIN_PREFIX_WORDS:
                by_first.setdefault(alias.sequence[0], []).append(alias)
        self._vocabulary = {key: frozenset(v) for key, v in vocabulary.items()}
        self._containing = {token: tuple(indexes) for token, indexes in containing.items()}
        self._by_key = {key: tuple(a) for key, a in by_key.items()}
        # longest first, so "Họ và tên người đăng ký" wins over "Họ và tên"
        self._by_first_word = {
            w: tuple(sorted(a, key=lambda a: -len(a.sequence))) for w, a in by_first.items()
        }
        self._cache: dict[str, tuple[str, float, str, int] | None] = {}

    # -- a label on its own (a table header cell, the part before a colon) ----------

    def best(self, label: str) -> tuple[str, float, str, int] | None:
        """(key, score, alias, alias word count) of the best alias for a label, or None.
        Ties go to the longest alias: the most specific wording wins."""
        label = clean(label).replace("\n", " ")
        if label not in self._cache:
            if len(self._cache) > 20000:  # documents repeat their labels; bound memory anyway
                self._cache.clear()
            self._cache[label] = self._score(label)
        return self._cache[label]

    def _score(self, label: str) -> tuple[str, float, str, int] | None:
        best: tuple[str, float, str, int] | None = None
        for variant in label_variants(label):
            # Dice ≥ THRESHOLD needs most of the text's words in one alias: a text this
            # much longer than any alias, or with few label words at all, cannot match
            if not variant or len(variant) > 2 * self._longest:
                continue
            if len(variant & self._vocabulary_all) < _MIN_SHARE * len(variant):
                continue
            shared: dict[int, int] = {}
            for token in variant:
                for index in self._containing.get(token, ()):
                    shared[index] = shared.get(index, 0) + 1
            for index, common in shared.items():
                alias = self._aliases[index]
                if common < ALIAS_COVERAGE * len(alias.tokens):
                    continue
                score = 2 * common / (len(variant) + len(alias.tokens))
                if score >= THRESHOLD and (best is None or (score, len(alias.tokens)) > (best[1], best[3])):
                    best = (alias.key, score, alias.text, len(alias.tokens))
        return best

    def match_cell(self, text: str) -> CellMatch | None:
        """A table header cell. pdf tables break a header over lines, sometimes in the
        middle of a word; both joins are tried."""
        text = clean(text)
        if not text:
            return None
        _numbering, body = split_numbering(text.replace("\n", " "))
        candidates = [body]
        if "\n" in text:
            candidates.append(clean(text.replace("\n", "")))
        best: CellMatch | None = None
        for candidate in candidates:
            found = self.best(candidate)
            if found and (best is None or found[1] > best.score):
                best = CellMatch(found[0], _trim_label(body), found[1])
        return best

    # -- a line that may hold a label and its value --------------------------------

    def match(self, text: str) -> LabelMatch | None:
        """Find a label at the start of a line, with the value written after it.

        Tried in order: a colon or template dots after something that matches a
        label (the school marked it); the whole line being a label; a known label
        word for word at the start of the line followed by the value."""
        line = clean(text).replace("\n", " ")
        if not line:
            return None
        numbering, body = split_numbering(line)
        if not body or not self._could_start_with_label(body):
            return None
        for separator in islice(_SEPARATOR.finditer(body), 3):
            head = body[: separator.start()].strip()
            if not head:
                continue
            found = self.best(head)
            if found:
                key, score, alias, _ = found
                head, value = self._extend(key, head, body[separator.end() :])
                label, value = _absorb_hint(head, value)
                return LabelMatch(
                    key, label, value, score, alias, numbering, separated=True, whole=is_filler(value)
                )
        whole = self._whole_line(body)
        if whole:
            key, score, alias, _ = whole
            return LabelMatch(
                key, _trim_label(body), "", score, alias, numbering, separated=False, whole=True
            )
        prefix = self._prefix(body)
        if prefix:
            key, alias, end = prefix
            return LabelMatch(
                key,
                _trim_label(body[:end]),
                body[end:].strip(),
                1.0,
                alias.text,
                numbering,
                separated=False,
                whole=False,
            )
        return None

    def _could_start_with_label(self, body: str) -> bool:
        """Quick reject for value lines. A label matches only if most of its words are
        label words (see _MIN_SHARE), and whatever the label is, it is the start of
        the line: so some start of the line must be mostly label words."""
        seen: set[str] = set()
        inside = 0
        for token in words(body)[: 3 * self._longest]:
            if token in STOP_WORDS or token in seen:
                continue
            seen.add(token)
            inside += token in self._vocabulary_all
            if inside >= _MIN_SHARE * len(seen):
                return True
        return False

    def _extend(self, key: str, head: str, value: str) -> tuple[str, str]:
        """A label that goes on after its colon: "Thời gian thực hiện: Năm học 2023-2024"
        is the label "Thời gian thực hiện: Năm học" and the value "2023-2024"."""
        head_words = words(head)
        spans = _word_spans(value)
        best_end = 0
        for alias in self._by_key.get(key, ()):
            n = len(alias.sequence) - len(head_words)
            if 0 < n <= len(spans) and alias.sequence[: len(head_words)] == head_words:
                if tuple(w for w, _ in spans[:n]) == alias.sequence[len(head_words) :]:
                    best_end = max(best_end, spans[n - 1][1])
        if not best_end:
            return head, value
        while best_end < len(value) and value[best_end] in ")]":
            best_end += 1
        return f"{head}: {value[:best_end].strip()}", value[best_end:]

    def _whole_line(self, body: str) -> tuple[str, float, str, int] | None:
        found = self.best(body)
        if not found:
            return None
        # Words that belong to no wording of this field are a value typed after the
        # label: "Họ tên người đăng ký Nguyễn Văn A" is not a label on its own.
        unbracketed = _PARENTHESES.sub(" ", body) if "(" in body else body
        if set(words(unbracketed)) - self._vocabulary[found[0]]:
            return None
        return found

    def _prefix(self, body: str) -> tuple[str, _Alias, int] | None:
        """A wording of a label, word for word, at the start of the line, followed by
        words no wording of that field uses (the value)."""
        if not words(body) or words(body)[0] not in self._by_first_word:
            return None
        spans = _word_spans(body)
        folded = tuple(w for w, _ in spans)
        for alias in self._by_first_word[folded[0]]:
            n = len(alias.sequence)
            if n < len(folded) and folded[:n] == alias.sequence:
                rest = set(folded[n:]) - self._vocabulary[alias.key]
                if rest:
                    return alias.key, alias, spans[n - 1][1]
        return None


def _word_spans(text: str) -> list[tuple[str, int]]:
    """Folded words of a text with where each ends in it."""
    return [(w, m.end()) for m in _WORD.finditer(text) for w in fold(m.group()).split()]


def _trim_label(text: str) -> str:
    """The label as written, without trailing colon, dots or spaces."""
    return _LABEL_END.sub("", text).strip()


def _absorb_hint(label: str, value: str) -> tuple[str, str]:
    """The template's "(tồn tại)" after "Thực trạng …:" belongs to the label."""
    stripped = value.lstrip(" .…_·")
    if stripped.startswith("("):
        end = stripped.find(")")
        hint = stripped[: end + 1] if end >= 0 else stripped
        if is_template_hint(hint):
            rest = stripped[len(hint) :]
            return _trim_label(f"{label}: {hint}"), rest.strip()
    return _trim_label(label), value.strip()
