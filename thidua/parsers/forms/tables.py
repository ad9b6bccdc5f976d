"""Finding a list's header row in a table and which column holds which field.

Schools' tables put title rows above the header, split the header over two rows
(a merged group cell over its sub-columns, or a pdf breaking a long header cell
over two lines), and number the columns "(1) (2) (3)" under it. A Layout says
which rows are the header and which column holds each field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from thidua.parsers.forms.labels import CellMatch, LabelMatcher
from thidua.parsers.forms.lines import cell_text, distinct_cells
from thidua.parsers.forms.template import is_column_numbers

# How far down a sheet the header may sit under title rows.
HEADER_SEARCH_ROWS = 25


@dataclass(frozen=True)
class Layout:
    columns: dict[str, tuple[int, ...]]  # key -> column indexes (several when a header cell spans them)
    labels: dict[str, str]  # key -> header text as the school wrote it
    top: int  # first header row
    body: int  # first row after the header and its column-number row
    width: int

    def __hash__(self) -> int:
        return id(self)

    def get(self, row: Sequence[str | None], key: str) -> str:
        """The text of a field in a row; a field over several columns joins their texts."""
        parts: list[str] = []
        for index in self.columns.get(key, ()):
            text = cell_text(row[index]) if index < len(row) else ""
            if text and text not in parts:
                parts.append(text)
        return "\n".join(parts)


def row_keys(row: Sequence[str | None], matcher: LabelMatcher) -> set[str]:
    keys: set[str] = set()
    for cell in row:
        match = matcher.match_cell(cell_text(cell))
        if match:
            keys.add(match.key)
    return keys


def find_layout(
    rows: Sequence[Sequence[str | None]],
    matcher: LabelMatcher,
    is_header: Callable[[set[str]], bool],
    *,
    start: int = 0,
    search: int = HEADER_SEARCH_ROWS,
) -> Layout | None:
    """The first header row from ``start`` on (within ``search`` rows), with the
    header rows merged with it above and below."""
    for r in range(start, min(len(rows), start + search)):
        if is_header(row_keys(rows[r], matcher)):
            return _layout(rows, r, matcher, start)
        # a pdf may break the header's words over two rows so that neither names enough alone
        if r + 1 < len(rows) and _continues(rows[r], rows[r + 1], matcher):
            joined = [
                " ".join(t for t in (cell_text(a), cell_text(b)) if t) for a, b in zip(rows[r], rows[r + 1])
            ]
            if is_header(row_keys(joined, matcher)):
                return _layout(rows, r, matcher, start)
    return None


def _layout(rows: Sequence[Sequence[str | None]], r: int, matcher: LabelMatcher, start: int) -> Layout:
    top = r
    while top - 1 >= start and _continues(rows[top - 1], rows[top], matcher):
        top -= 1
    bottom = r
    while (
        bottom + 1 < len(rows)
        and _continues(rows[bottom], rows[bottom + 1], matcher)
        and not is_column_numbers(tuple(rows[bottom + 1]))
    ):
        bottom += 1
    width = max(len(row) for row in rows[top : bottom + 1])
    found: dict[int, CellMatch] = {}
    for column in range(width):
        match = _column_match(rows, top, bottom, column, matcher)
        if match:
            found[column] = match
    columns, labels = _resolve(found)
    body = bottom + 1
    while body < len(rows) and is_column_numbers(tuple(rows[body])):
        body += 1
    return Layout(columns, labels, top, body, width)


def _continues(upper: Sequence[str | None], lower: Sequence[str | None], matcher: LabelMatcher) -> bool:
    """``lower`` carries on the header of ``upper``: some cell is merged down from
    it (same text in the same column), or ``lower`` only finishes header cells that
    a pdf broke over two rows ("Tóm tắt thành tích" / "nổi bật"): each piece, put
    after the cell above it, still names a field. A first list row does not: "Họ và
    tên Nguyễn Văn An" names nothing."""
    upper_cells = [cell_text(c) for c in upper]
    lower_cells = [cell_text(c) for c in lower]
    if len(distinct_cells(upper_cells)) <= 1 or not distinct_cells(lower_cells):
        return False  # a title row spans the table; an empty row ends the header
    width = min(len(upper_cells), len(lower_cells))
    if any(upper_cells[i] and upper_cells[i] == lower_cells[i] for i in range(width)):
        return True
    pieces = [i for i in range(width) if lower_cells[i]]
    if len(lower_cells) > width and any(lower_cells[width:]):
        return False
    return all(
        upper_cells[i]
        and len(lower_cells[i].split()) <= 4
        and _completes(upper_cells[i], lower_cells[i], matcher)
        for i in pieces
    )


def _completes(upper: str, lower: str, matcher: LabelMatcher) -> bool:
    """``lower`` finishes the label ``upper`` began, rather than starting the first row under a
    label that was whole: "Tóm tắt thành tích" + "nổi bật" names the field better than before,
    "Tóm tắt thành tích nổi bật" + "Khoa học kỹ thuật." (a summary a page break cut) worse."""
    joined = matcher.match_cell(f"{upper} {lower}")
    if joined is None:
        return False
    alone = matcher.match_cell(upper)
    return alone is None or joined.score >= alone.score


def _column_match(rows, top: int, bottom: int, column: int, matcher: LabelMatcher) -> CellMatch | None:
    stack: list[str] = []
    for r in range(top, bottom + 1):
        text = cell_text(rows[r][column]) if column < len(rows[r]) else ""
        if text and (not stack or stack[-1] != text):
            stack.append(text)
    if not stack:
        return None
    if len(stack) == 1:
        return matcher.match_cell(stack[0])
    bottom_text, joined = stack[-1], " ".join(stack)
    # A group cell ("Thành tích" over "Tóm tắt" and "Minh chứng") is merged across its
    # neighbours; its sub-header alone names the column. A cell text that a pdf cut
    # in two is the whole of the two pieces.
    if _spans_neighbours(rows, top, bottom, column, stack[-2]):
        candidates = (bottom_text, joined)
    else:
        candidates = (joined, bottom_text)
    best: CellMatch | None = None
    for text in candidates:
        match = matcher.match_cell(text)
        if match and (best is None or match.score > best.score):
            best = match
    return best


def _spans_neighbours(rows, top: int, bottom: int, column: int, text: str) -> bool:
    for r in range(top, bottom + 1):
        row = rows[r]
        if column < len(row) and cell_text(row[column]) == text:
            for neighbour in (column - 1, column + 1):
                if 0 <= neighbour < len(row) and cell_text(row[neighbour]) == text:
                    return True
    return False


def _resolve(found: dict[int, CellMatch]) -> tuple[dict[str, tuple[int, ...]], dict[str, str]]:
    """One field per column. A header cell merged across columns (same text side by
    side) keeps them all; otherwise the best-matching column wins, the first on a tie."""
    by_key: dict[str, list[int]] = {}
    for column in sorted(found):
        by_key.setdefault(found[column].key, []).append(column)
    columns: dict[str, tuple[int, ...]] = {}
    labels: dict[str, str] = {}
    for key, indexes in by_key.items():
        best = max(indexes, key=lambda i: (found[i].score, -i))
        chosen = [best]
        for direction in (-1, 1):
            i = best + direction
            while i in found and found[i].key == key and found[i].label == found[best].label:
                chosen.append(i)
                i += direction
        columns[key] = tuple(sorted(chosen))
        labels[key] = found[best].label
    return columns, labels
