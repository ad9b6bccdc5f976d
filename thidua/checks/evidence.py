"""Matching a nominee's evidence cell against the files the school actually sent.

Schools rarely copy a file name exactly into the "Minh chứng" column.  They drop the
extension, type without diacritics, join words with underscores, or describe the file
("Giấy chứng nhận giải Nhì cấp huyện (bản scan)").  The received files are display
names, possibly behind archive or folder prefixes ("hoso.zip/Minh chung/Giấy khen.pdf").

How a reference is compared with a file, best first:

1. the whole name is the same (case, diacritics, Unicode form, separators ignored);
2. the same name without its extension ("Giay khen Nguyen Van A" = "Giấy khen Nguyễn Văn A.pdf");
3. one name contains the other as a run of whole words ("Giấy khen Nguyễn Văn A (bản scan)"
   contains "Giay_khen_Nguyen_Van_A.pdf"; "Giấy khen" is contained in "Giấy khen Trần Thị B.pdf");
4. every word of one name occurs in the other, in any order
   ("Nguyễn Văn A - Giấy khen" and "Giấy khen Nguyễn Văn A").

Tiers 3 and 4 need the contained side to carry at least two words (or one word of six
letters or more) and not to be made of numbers only, so "1" does not match "Minh chứng 10"
and "2018" does not match every certificate.  "Giấy khen Nguyễn Văn An" never matches
"Giấy khen Nguyễn Văn Bình": neither is contained in the other.

A short reference may fit several files ("Giấy khen" when three "Giấy khen …" files came):
it is then ambiguous but present, and the best fit (the file whose name is closest in
length, then the first received) is returned; the other files are not claimed by it.

A reference may also name an archive or a folder ("hoso.zip", "Minh chứng"): it matches
when that archive or folder was received with something in it, and the archive or folder
name is returned; :func:`evidence_files` then claims every file inside it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Protocol

from thidua.text import clean, is_placeholder, strip_numbering

# Extensions a reference may carry; a dot followed by anything else is part of the name
# ("Quyết định số 12/QĐ-UBND ngày 5.3" has no extension).
KNOWN_EXTENSIONS = frozenset(
    [
        "pdf",
        "doc",
        "docx",
        "docm",
        "dot",
        "dotx",
        "odt",
        "rtf",
        "txt",
        "xls",
        "xlsx",
        "xlsm",
        "ods",
        "csv",
        "ppt",
        "pptx",
        "odp",
        "jpg",
        "jpeg",
        "png",
        "gif",
        "bmp",
        "tif",
        "tiff",
        "webp",
        "heic",
        "heif",
        "zip",
        "rar",
        "7z",
        "gz",
        "tar",
        "mp4",
        "mov",
        "avi",
        "mkv",
        "mp3",
        "wav",
    ]
)
# Words that describe the copy, not the document: dropped before comparing
# ("Giấy khen (bản scan)" is the file "Giấy khen.pdf").
NOISE_WORDS = (
    frozenset(
        [
            "ban",
            "scan",
            "scanned",
            "photo",
            "sao",
            "chup",
            "goc",
            "file",
            "tep",
            "dinh",
            "kem",
            "theo",
            "copy",
        ]
    )
    | KNOWN_EXTENSIONS
)
# Abbreviations schools use in file names, spelled out before comparing ("GCN" = giấy chứng nhận).
ABBREVIATIONS = {
    "gcn": ("giay", "chung", "nhan"),
    "gk": ("giay", "khen"),
    "bk": ("bang", "khen"),
    "qd": ("quyet", "dinh"),
    "skkn": ("sang", "kien", "kinh", "nghiem"),
    "cstd": ("chien", "si", "thi", "dua"),
    "cstdcs": ("chien", "si", "thi", "dua", "co", "so"),
    "gvdg": ("giao", "vien", "day", "gioi"),
    "gvcn": ("giao", "vien", "chu", "nhiem"),
    "hsg": ("hoc", "sinh", "gioi"),
    "mc": ("minh", "chung"),
}

MIN_CONTAINED_CHARS = 5  # a contained name needs this many letters/digits …
MIN_SINGLE_WORD_CHARS = 6  # … and, when it is a single word, this many

_NON_WORD = re.compile(r"[^0-9a-z]+")
_URL = re.compile(r"^(?:https?://|www\.)", re.IGNORECASE)


def _split_runs(text: str) -> str:
    """A space wherever a lower-case letter meets an upper-case one or a letter meets a digit:
    "GiấyKhen2" → "Giấy Khen 2"."""
    out: list[str] = []
    prev = ""
    for ch in text:
        if prev and (
            (prev.islower() and ch.isupper())
            or (prev.isalpha() and ch.isdigit())
            or (prev.isdigit() and ch.isalpha())
        ):
            out.append(" ")
        out.append(ch)
        prev = ch
    return "".join(out)


def _words(text: str) -> tuple[str, ...]:
    """Comparison words: CamelCase and letter/digit runs split, lower case, no diacritics,
    numbers without leading zeros ("GiayKhen_01" → giay, khen, 1)."""
    text = _split_runs(unicodedata.normalize("NFC", text))
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").replace("đ", "d")
    words: list[str] = []
    for word in _NON_WORD.sub(" ", text).split():
        if word.isdigit():
            words.append(word.lstrip("0") or "0")
        else:
            words.extend(ABBREVIATIONS.get(word, (word,)))
    return tuple(words)


def _split_extension(name: str, *, any_extension: bool) -> tuple[str, str]:
    """("Giấy khen.PDF") → ("Giấy khen", "pdf").  A reference only loses a known extension;
    a received file loses any short alphanumeric one."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem.strip():
        return name, ""
    ext_l = ext.strip().lower()
    if ext_l in KNOWN_EXTENSIONS or (
        any_extension and 1 <= len(ext_l) <= 5 and ext_l.isalnum() and not ext_l.isdigit() and " " not in ext
    ):
        return stem, ext_l
    return name, ""


def _basename(name: str) -> str:
    return re.split(r"[/\\]", name.rstrip("/\\"))[-1]


class _Name:
    """A name ready for comparison: its words with and without noise words, its extension."""

    __slots__ = ("words", "core", "compact", "ext", "full")

    def __init__(self, name: str, *, is_file: bool):
        stem, self.ext = _split_extension(name.strip(), any_extension=is_file)
        self.full = _words(name)
        self.words = _words(stem)
        core = tuple(w for w in self.words if w not in NOISE_WORDS)
        self.core = core or self.words
        self.compact = "".join(self.core)


def _boundaries(words: tuple[str, ...]) -> set[int]:
    marks, at = {0}, 0
    for word in words:
        at += len(word)
        marks.add(at)
    return marks


def _contained(inner: _Name, outer: _Name) -> bool:
    """``inner`` occurs in ``outer`` as a run of whole words (word splits may differ:
    "giaykhen" is the run "giay khen")."""
    if not _substantial(inner):
        return False
    marks = _boundaries(outer.core)
    start = outer.compact.find(inner.compact)
    while start != -1:
        if start in marks and start + len(inner.compact) in marks:
            return True
        start = outer.compact.find(inner.compact, start + 1)
    return False


def _subset(inner: _Name, outer: _Name) -> bool:
    """Every word of ``inner`` occurs in ``outer``, in any order."""
    return _substantial(inner) and len(inner.core) >= 2 and set(inner.core) <= set(outer.core)


def _substantial(name: _Name) -> bool:
    """Long enough to identify a file: not a bare number, not one short word."""
    if all(w.isdigit() for w in name.core):
        return False
    if len(name.compact) < MIN_CONTAINED_CHARS:
        return False
    return len(name.core) >= 2 or len(name.compact) >= MIN_SINGLE_WORD_CHARS


@lru_cache(maxsize=8192)
def _name(text: str, is_file: bool) -> _Name:
    return _Name(text, is_file=is_file)


def _score(ref: _Name, candidate: str, *, is_file: bool) -> float:
    """How well ``candidate`` (a display name, maybe with prefixes) fits the reference; 0 = not at all."""
    cand = _name(_basename(candidate), is_file)
    if not cand.words or not ref.words:
        return 0.0
    bonus = 0.01 if ref.ext and ref.ext == cand.ext else 0.0
    # 1. whole name, or the whole display path ("hoso.zip/Giấy khen.pdf"), is what the school wrote
    if ref.full == cand.full or (is_file and ref.full == _name(candidate, True).full):
        return 1.0
    # 2. same name, extension aside (or a different extension: the file was converted)
    if ref.compact == cand.compact or ref.words == cand.words:
        return 0.95 + bonus
    if not is_file:
        return 0.0  # archives and folders match by name only
    shorter, longer = sorted((len(ref.compact), len(cand.compact)))
    closeness = shorter / longer if longer else 0.0
    # 3. one contains the other as whole words
    if _contained(cand, ref) or _contained(ref, cand):
        return 0.5 + 0.4 * closeness + bonus
    # 4. all words of one are among the other's
    if _subset(cand, ref) or _subset(ref, cand):
        overlap = len(set(ref.core) & set(cand.core)) / len(set(ref.core) | set(cand.core))
        return 0.3 + 0.19 * overlap + bonus
    return 0.0


def _containers(files: Sequence[str]) -> list[str]:
    """Archive and folder prefixes that hold at least one received file, in order of first use."""
    seen: dict[str, None] = {}
    for name in files:
        parts = re.split(r"[/\\]", name)
        for i in range(1, len(parts)):
            seen.setdefault("/".join(parts[:i]), None)
    return list(seen)


def is_link(reference: str) -> bool:
    """A web address (Google Drive, a website) rather than a file."""
    return bool(_URL.match(reference.strip()))


def find_evidence(reference: str, files: Sequence[str]) -> str | None:
    """The received file the school meant by ``reference`` (a file name or a description from
    the evidence cell), or ``None`` when none fits.  See the module docstring for the rules."""
    reference = clean(reference)
    if is_placeholder(reference) or is_link(reference):
        return None
    refs = [reference]
    # "1. Giấy khen.pdf", "- Giấy khen.pdf": list numbering in the cell
    unnumbered = strip_numbering(reference)
    if unnumbered and unnumbered != reference:
        refs.append(unnumbered)
    # "Minh chứng/Giấy khen.pdf": a path; its last part is a file name when it has an extension
    # (a description such as "Quyết định số 12/QĐ-UBND" is not split)
    last = _basename(reference)
    if last != reference and _split_extension(last, any_extension=False)[1]:
        refs.append(last)
    files = list(files)
    best, best_score = None, 0.0
    for text in refs:
        ref = _name(text, False)
        for name in files:
            score = _score(ref, name, is_file=True)
            if score > best_score:
                best, best_score = name, score
        if best_score < 0.95:
            for prefix in _containers(files):
                score = _score(ref, prefix, is_file=False)
                if score > best_score:
                    best, best_score = prefix, score
    return best


class _HasEvidence(Protocol):
    evidence: tuple[str, ...]


def evidence_files(nominees: Iterable[_HasEvidence], files: Sequence[str]) -> set[str]:
    """The received files that some nominee names as evidence (every file inside an archive
    or folder that a nominee names as a whole)."""
    files = list(files)
    found: set[str] = set()
    for nominee in nominees:
        for reference in nominee.evidence:
            match = find_evidence(reference, files)
            if match is None:
                continue
            if match in files:
                found.add(match)
            else:
                found.update(f for f in files if f.startswith(match + "/"))
    return found
