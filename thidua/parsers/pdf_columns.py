"""Lists printed to PDF without ruling lines: columns and rows from where the words stand.

Excel prints no grid lines by default, and "Microsoft Print to PDF" of a list draws its text
only, so pdfplumber finds no table there. Such a list still has a header row whose labels
sit over their columns ("STT", "Họ và tên", …, often wrapped over two or three lines), and
its rows start with a number in the first column. This reads the header band as the
columns' names, cuts the page's width into columns at the blank gaps that no word crosses
(a gap under no header word is a gap inside a column), and gathers the lines under the
header into rows, one for each line with something in the first column. A row's
lines stay lines ("\\n") as they would in a ruled pdf table: the list reader rejoins them.

A row's lines are gathered around the line of its number as its cells are aligned (top,
Excel's default bottom, or centre): the alignment that leaves no gap inside any cell wins.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from thidua.parsers.content import Table
from thidua.parsers.forms.roles import NOMINEE_MATCHER
from thidua.parsers.forms.template import is_signature_line
from thidua.text import clean, fold

# The line that opens a list's header.
HEADER_HINT = re.compile(r"\b(?:stt|ho va ten|ho ten|ten tap the)\b")
# What opens a row in the first column: a rank ("1", "01", "1."), a section ("I.", "A."), "(1)".
_ROW_START = re.compile(r"^\(?(?:\d{1,4}|[IVXLC]{1,5}|[A-Z])[.)]?$")
_SECTION_MARK = re.compile(r"^(?:[IVXLC]{1,5}|[A-Z])[.)]?$")
_SAME_LINE = 2.5  # points between the tops of words on one printed line
_GAP = 0.4  # points: a blank this wide between words that no line crosses may part two columns
_WHOLE_LABEL = 0.9  # a match this close names a column on its own
_BLANK = 0.45  # of the text's height: the widest blank between two words of one label


@dataclass(frozen=True)
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Columns:
    """Where a list's columns part (x positions between them) and how its cells stand in
    their rows (see ``_ALIGNMENTS``), kept to read its next page."""

    edges: tuple[float, ...]
    alignment: str = ""

    @property
    def width(self) -> int:
        return len(self.edges) + 1

    def index(self, word: _Word) -> int:
        middle = (word.x0 + word.x1) / 2
        return sum(1 for edge in self.edges if middle > edge)


def words_of(page) -> list[_Word]:
    """The words of a pdfplumber page; a right-aligned number and the text after it are
    often closer than a blank, so words part at any visible gap (x_tolerance 1)."""
    return [
        _Word(clean(w["text"]), w["x0"], w["x1"], w["top"], w["bottom"])
        for w in page.extract_words(x_tolerance=1, y_tolerance=_SAME_LINE)
        if clean(w["text"])
    ]


def _lines(words: Sequence[_Word]) -> list[list[_Word]]:
    lines: list[list[_Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(lines[-1][0].top - word.top) <= _SAME_LINE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _text(line: Sequence[_Word]) -> str:
    return " ".join(w.text for w in line)


def positioned_table(words: Sequence[_Word], carried: Columns | None) -> tuple[Table | None, Columns | None]:
    """The list on one page and its columns, or (None, None). ``carried``: the columns of
    the list on the page before, for a page that carries it on without repeating the header."""
    lines = _lines(words)
    # a list's header spreads its labels over the page; "1. Họ tên người đăng ký: …" is a form's line
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if HEADER_HINT.search(fold(_text(line))) and len(_phrases(line)) >= 3
        ),
        None,
    )
    if start is None:
        if carried is None:
            return None, None
        return _body_only(lines, carried), carried
    first_x = lines[start][0].x1
    body = next((i for i in range(start + 1, len(lines)) if _opens_row(lines[i], first_x)), None)
    if body is None:
        return None, None
    end = _end(lines, body)
    start = _header_top(lines, start, body)
    columns = _columns(lines[start:body], lines[body:end])
    # cells aligned to the bottom or centre of their rows begin above the first number
    body = _header_end(lines, start, body, columns)
    header, rows = lines[start:body], lines[body:end]
    columns = _columns(header, rows)
    if columns.width < 3:
        return None, None
    header_row = _join_lines(header, columns, " ")
    if carried is not None and carried.width == columns.width:
        # the header repeated over the same columns: the same list, its cells aligned alike
        columns = replace(columns, alignment=carried.alignment)
    body_rows, columns = _rows(rows, columns)
    return Table(rows=(header_row, *body_rows)), columns


def _header_top(lines: list[list[_Word]], start: int, body: int) -> int:
    """The first line of the header: labels aligned to the bottom or centre of the header
    row begin above the line with "STT", each word over a word of the label it begins.
    The title or "(Sắp xếp theo thứ tự ưu tiên)" above is not over the labels word by word."""
    while start > 0:
        above, below = lines[start - 1], lines[start]
        height = max(w.bottom - w.top for w in below)
        band = [w for line in lines[start:body] for w in line]
        if below[0].top - above[0].top > 1.7 * height or not all(
            any(w.x0 < b.x1 and b.x0 < w.x1 for b in band) for w in above
        ):
            break
        start -= 1
    return start


def _header_end(lines: list[list[_Word]], start: int, first_row: int, columns: Columns) -> int:
    """Where the body begins: the first line under the "STT" line whose words do not go on
    the labels above them ("Minh chứng," + "sản phẩm" does; "Họ và tên" + "Tổ chuyên môn" and
    "Tóm tắt thành tích" + "Tổ có 4/9 sáng kiến" do not)."""
    hint = next(
        i
        for i in range(start, first_row)
        if HEADER_HINT.search(fold(_text(lines[i]))) and len(_phrases(lines[i])) >= 3
    )
    labels = list(_join_lines(lines[start : hint + 1], columns, " "))
    for i in range(hint + 1, first_row):
        pieces = _join_lines([lines[i]], columns, " ")
        if not all(not piece or _goes_on(labels[c], piece) for c, piece in enumerate(pieces)):
            return i
        labels = [" ".join(t for t in (label, piece) if t) for label, piece in zip(labels, pieces)]
    return first_row


def _goes_on(label: str, piece: str) -> bool:
    if not label:
        # a sub-label under a group label over two columns ("Thành tích" over "Minh chứng")
        alone = NOMINEE_MATCHER.match_cell(piece)
        return alone is not None and alone.score >= _WHOLE_LABEL
    joined = NOMINEE_MATCHER.match_cell(f"{label} {piece}")
    alone = NOMINEE_MATCHER.match_cell(label)
    return joined is not None and (alone is None or joined.score >= alone.score)


def _opens_row(line: Sequence[_Word], first_x: float) -> bool:
    """A line whose first word stands under the first header label and numbers a row."""
    return line[0].x0 <= first_x and bool(_ROW_START.match(line[0].text))


def _end(lines: list[list[_Word]], body: int) -> int:
    """The signature block ends the list: the place and date, the signers' titles."""
    for i in range(body, len(lines)):
        if is_signature_line(_text(lines[i])):
            return i
    return len(lines)


def _body_only(lines: list[list[_Word]], columns: Columns) -> Table | None:
    """A page that carries a list on: its lines up to the signature, the first rows perhaps
    the rest of the last row of the page before (no number in the first column)."""
    first = next(
        (i for i, line in enumerate(lines) if columns.index(line[0]) == 0 and _ROW_START.match(line[0].text)),
        None,
    )
    if first is None:
        return None
    # lines above the first row belong to the page before's last row when they sit in the columns
    lead = 0
    while lead < first and len({columns.index(w) for w in lines[lead]}) == 1 and first - lead > 3:
        lead += 1  # a running head ("Trang 2") over the list
    rows = lines[lead : _end(lines, first)]
    found, _ = _rows(rows, columns)
    return Table(rows=tuple(found)) if found else None


def _columns(header: list[list[_Word]], body: list[list[_Word]]) -> Columns:
    """Gaps across the header and body that no word crosses part columns. A part with no
    header word over it belongs to the column it stands closer to: a rank written at the
    left of its cell under a centred "STT", or "Giáo" of "Giáo viên Toán" under "Chức vụ"."""
    # a section heading ("II. CÁ NHÂN") may run over the columns beside its own
    ranked = [line for line in body if not _SECTION_MARK.match(line[0].text)]
    spans = sorted((w.x0, w.x1) for line in (*header, *ranked) for w in line)
    parts: list[list[float]] = []
    for x0, x1 in spans:
        if parts and x0 <= parts[-1][1] + _GAP:
            parts[-1][1] = max(parts[-1][1], x1)
        else:
            parts.append([x0, x1])
    middles = [(w.x0 + w.x1) / 2 for line in header for w in line]
    labelled = [any(p[0] <= m <= p[1] for m in middles) for p in parts]
    while not all(labelled) and len(parts) > 1:
        i = labelled.index(False)
        left = parts[i][0] - parts[i - 1][1] if i > 0 else math.inf
        right = parts[i + 1][0] - parts[i][1] if i + 1 < len(parts) else math.inf
        j = i - 1 if left <= right else i + 1
        parts[j] = [min(parts[i][0], parts[j][0]), max(parts[i][1], parts[j][1])]
        del parts[i], labelled[i]
    phrases = [phrase for line in header for phrase in _phrases(line)]
    merged: list[list[float]] = []
    for part in parts:
        # a header label's words stand a blank apart; columns part at a wider gap
        if merged and any(x0 < merged[-1][1] and part[0] < x1 for x0, x1 in phrases):
            merged[-1][1] = part[1]
        else:
            merged.append(list(part))
    return Columns(tuple((a[1] + b[0]) / 2 for a, b in pairwise(merged)))


def _phrases(line: Sequence[_Word]) -> list[tuple[float, float]]:
    """Runs of a header line's words no wider apart than a blank: one label each."""
    runs: list[list[float]] = []
    for word in line:
        blank = _BLANK * max(word.bottom - word.top, 1.0)
        if runs and word.x0 - runs[-1][1] <= blank:
            runs[-1][1] = word.x1
        else:
            runs.append([word.x0, word.x1])
    return [(a, b) for a, b in runs]


def _join_lines(lines: Sequence[Sequence[_Word]], columns: Columns, separator: str) -> tuple[str, ...]:
    cells: list[list[str]] = [[] for _ in range(columns.width)]
    for line in lines:
        pieces: dict[int, list[str]] = {}
        for word in line:
            pieces.setdefault(columns.index(word), []).append(word.text)
        for column, texts in pieces.items():
            cells[column].append(" ".join(texts))
    return tuple(separator.join(texts) for texts in cells)


def _rows(lines: list[list[_Word]], columns: Columns) -> tuple[list[tuple[str, ...]], Columns]:
    """The table's rows: one per line that numbers a row (or opens a section), with the lines
    around it that belong to the same row, as the cells' vertical alignment places them: the
    alignment the list's first page showed, else the one that leaves no gap inside a cell."""
    anchors = [i for i, line in enumerate(lines) if any(columns.index(w) == 0 for w in line)]
    headings = {
        i for i in anchors if _SECTION_MARK.match(lines[i][0].text) and columns.index(lines[i][0]) == 0
    }
    pitch = _line_pitch(lines, columns)
    if not columns.alignment:
        alignment = min(
            _ALIGNMENTS,
            key=lambda a: _broken_cells(lines, _owners(lines, anchors, headings, a), columns, pitch),
        )
        columns = replace(columns, alignment=alignment)
    owners = _owners(lines, anchors, headings, columns.alignment)
    groups: dict[int, list[list[_Word]]] = {}
    for line, owner in zip(lines, owners):
        groups.setdefault(owner, []).append(line)
    rows = [
        (_text(lines[key]),) * columns.width if key in headings else _join_lines(group, columns, "\n")
        for key, group in sorted(groups.items())
    ]
    return rows, columns


# How a row's cells stand against the line of its number, most likely first: wrapped lists
# align their cells to the top, Excel's default is the bottom, templates often centre them.
_ALIGNMENTS = ("top", "bottom", "centre")


def _owners(lines: list[list[_Word]], anchors: list[int], headings: set[int], alignment: str) -> list[int]:
    """For each line, the numbered line (index) whose row it is in; a section heading is a row
    of its own. Lines above the first number when cells are top-aligned are the rest of a row
    the page before began (-1); lines below the last number when they are bottom-aligned
    belong to the last row."""
    rows = [a for a in anchors if a not in headings]
    owners: list[int] = []
    for i, line in enumerate(lines):
        before = max((a for a in rows if a <= i), default=None)
        after = min((a for a in rows if a >= i), default=None)
        if i in anchors:
            owners.append(i)
        elif alignment == "top" or after is None:
            owners.append(-1 if before is None else before)
        elif alignment == "bottom" or before is None:
            owners.append(after)
        else:
            owners.append(
                before if line[0].top - lines[before][0].top <= lines[after][0].top - line[0].top else after
            )
    return owners


def _line_pitch(lines: list[list[_Word]], columns: Columns) -> float:
    """The distance between two lines of one cell: the least between lines in any column
    (cells centred in their rows put other columns' lines half a line apart)."""
    tops: dict[int, set[float]] = {}
    for line in lines:
        for word in line:
            tops.setdefault(columns.index(word), set()).add(round(word.top, 1))
    steps = [b - a for column in tops.values() for a, b in pairwise(sorted(column)) if b - a >= 1]
    return min(steps, default=0.0)


def _broken_cells(lines: list[list[_Word]], owners: list[int], columns: Columns, pitch: float) -> int:
    """Cells whose lines leave a blank line or more between them: rows gathered wrong take
    lines of the next row's cells into their own."""
    tops: dict[tuple[int, int], list[float]] = {}
    for line, owner in zip(lines, owners):
        for word in line:
            tops.setdefault((owner, columns.index(word)), []).append(round(word.top, 1))
    broken = 0
    for cell in tops.values():
        ordered = sorted(set(cell))
        broken += any(b - a > pitch * 1.7 for a, b in pairwise(ordered))
    return broken
