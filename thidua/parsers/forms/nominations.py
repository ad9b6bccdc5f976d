"""Nomination lists ("mẫu 2", seed 01): collectives and individuals in priority order.

The list is a table wherever it sits (a Word table, any sheet of a workbook, a pdf
table); its header row is found by its column names, title rows and column-number
rows around it are skipped, section rows ("I. TẬP THỂ") set the category of the
rows under them and are kept as their ``section`` (see sections.py), and the list ends
at the table's end or at its signature rows. A pdf list runs over pages: a page's table
carries the list on, and its unnumbered first row finishes the row the page cut.
"""

from __future__ import annotations

from dataclasses import replace

from thidua.parsers.content import DocumentText, Table
from thidua.parsers.forms.categories import Section, resolve_category, section_of
from thidua.parsers.forms.cells import one_line, parse_rank, split_evidence, unwrap, unwrap_prose
from thidua.parsers.forms.header import HEADER_LINES, Header, read_header
from thidua.parsers.forms.labels import split_numbering, value_text
from thidua.parsers.forms.lines import Line, cell_text, distinct_cells, document_lines, is_number_cell
from thidua.parsers.forms.model import Nominee
from thidua.parsers.forms.roles import NOMINEE_MATCHER, TableRoles, is_nominee_header, table_roles
from thidua.parsers.forms.sections import SectionPath, table_context, with_contexts
from thidua.parsers.forms.tables import Layout, find_layout, row_keys
from thidua.parsers.forms.template import is_column_numbers, is_note, is_signature_line, is_total

_DETAILS = ("category", "position", "achievements", "evidence", "award")


def extract_nominees(doc: DocumentText, roles: TableRoles | None = None) -> tuple[Nominee, ...]:
    """Every nominee of every nomination table in the document, in reading order."""
    return read_nominees(doc, roles)[0]


def read_nominees(
    doc: DocumentText, roles: TableRoles | None = None, all_lines: tuple[Line, ...] | None = None
) -> tuple[tuple[Nominee, ...], Header]:
    """Nominees and the header above the first list (school, school year).
    ``all_lines`` is the document's first lines (``document_lines(doc,
    limit=HEADER_LINES)``) when the caller has them already."""
    roles = roles or table_roles(doc)
    found: list[tuple[str, Nominee]] = []
    previous: Layout | None = None
    context = ""
    path = SectionPath()
    for index, block in enumerate(doc.blocks):
        if not isinstance(block, Table):
            continue
        layout = roles.nominees.get(index)
        if (
            layout is None
            and previous is not None
            and index not in roles.registrations
            and _carries_on(block, previous)
        ):
            # a pdf list broken over pages: the next page's table has no header of its own
            layout = replace(previous, top=0, body=0)
        elif layout is not None and doc.format != "pdf":
            # a sheet or table of its own; a pdf repeats one table's header on every page
            context, path = table_context(doc, index, len({c for c, _ in found}) + 1), SectionPath()
        if layout is None:
            previous = None
            continue
        # a pdf row cut by the page's end goes on at the top of the next page's table
        seed = [found[-1][1]] if doc.format == "pdf" and found and previous is not None else []
        read = _read_table(block, layout, path, seed, wrapped=doc.format == "pdf")
        if seed:
            found[-1], read = (found[-1][0], read[0]), read[1:]
        found.extend((context, n) for n in read)
        previous = layout
    return with_contexts(found), _header(doc, roles, all_lines)


def _header(doc: DocumentText, roles: TableRoles, all_lines: tuple[Line, ...] | None) -> Header:
    if not roles.nominees:
        return Header()
    index = min(roles.nominees)
    stop = (index, roles.nominees[index].top)
    lines = all_lines if all_lines is not None else document_lines(doc, limit=HEADER_LINES)
    return read_header(line.text for line in lines if line.position < stop)


def _carries_on(table: Table, layout: Layout) -> bool:
    if not table.rows or max(len(row) for row in table.rows) != layout.width:
        return False
    if "rank" not in layout.columns or any(
        parse_rank(layout.get(row, "rank")) is not None for row in table.rows[:3]
    ):
        return True
    # only the rest of the last row, cut by the page's end: no number, no name of its own
    first = table.rows[0]
    return not cell_text(layout.get(first, "rank")) and any(cell_text(c) for c in first)


def _read_table(
    table: Table, layout: Layout, path: SectionPath, seed: list[Nominee], *, wrapped: bool
) -> list[Nominee]:
    """``wrapped``: a pdf table, whose cells break lines at the cell's width. ``path``: the
    section rows read so far, carried on from the page before in a pdf. ``seed``: the last
    nominee of the page before, which an unnumbered first row carries on; it comes back
    first, completed."""
    rows = table.rows
    nominees: list[Nominee] = list(seed)
    first_row = True
    section: Section | None = None
    heading_row = -2  # where the last heading row was, to name a second list under it
    r = layout.body
    while r < len(rows):
        row = rows[r]
        filled = distinct_cells(row)
        if not filled or is_column_numbers(tuple(row)):
            r += 1
            continue
        rank_text = one_line(cell_text(layout.get(row, "rank")))
        rank = parse_rank(rank_text)
        if rank is None:
            if is_total(filled[0]) or is_note(filled[0]):
                r += 1
                continue
            if all(is_signature_line(text) for text in filled):
                break  # the signature under the list: nothing after it is a nominee
            if is_nominee_header(row_keys(row, NOMINEE_MATCHER)):
                # a second list (or the header repeated) further down the same sheet
                again = find_layout(rows, NOMINEE_MATCHER, is_nominee_header, start=r, search=1)
                if again is not None:
                    path.restart(path.text if heading_row >= r - 2 else None)
                    layout, section, r = again, None, again.body
                    continue
        fields = {key: value_text(layout.get(row, key)) for key in ("name", "unit", *_DETAILS)}
        if wrapped:
            fields = {
                key: unwrap_prose(text) if key == "achievements" else unwrap(text)
                for key, text in fields.items()
            }
        has_details = any(fields[key] for key in _DETAILS)
        if rank is None:
            heading = _heading_text(row, filled, layout)
            if heading is not None:
                found = section_of(heading)
                if found is not None or _is_group_heading(row, heading):
                    section = found if found is not None else section
                    path.enter(heading)
                    heading_row = r
                    r += 1
                    continue
            cut_by_page = first_row and bool(seed) and (fields["name"] or has_details)
            if not rank_text and nominees and (cut_by_page or (not fields["name"] and has_details)):
                # a row the pdf (or the school) broke in two: the rest of the nominee above
                nominees[-1] = _continued(nominees[-1], fields, wrapped)
                first_row = False
                r += 1
                continue
        first_row = False
        if fields["name"] or has_details:
            nominees.append(_nominee(rank, rank_text, fields, section, layout, r, wrapped, path))
        r += 1
    return nominees


def _heading_text(row, filled: list[str], layout: Layout) -> str | None:
    """The text of a row that spans the table (one text, merged or alone at the row's
    start), or of a numbered heading split over the number column and the next ("I" |
    "TẬP THỂ"). One text alone in a detail column is the rest of a row, not a heading."""
    if len(filled) == 1:
        columns = [i for i, cell in enumerate(row) if cell_text(cell) == filled[0]]
        starts = {*layout.columns.get("rank", ()), *layout.columns.get("name", ()), 0, 1}
        return filled[0] if len(columns) > 1 or columns[0] in starts else None
    if len(filled) == 2 and is_number_cell(filled[0]):
        return f"{filled[0]}. {filled[1]}"
    return None


def _is_group_heading(row, text: str) -> bool:
    """A heading that names no category ("II. KHỐI 5", a department row merged across
    the table): it groups rows and is no nominee."""
    numbering, _ = split_numbering(text)
    merged = sum(1 for cell in row if cell_text(cell) == text) >= 2
    return merged or numbering.style in ("roman", "letter")


def _nominee(
    rank,
    rank_text: str,
    fields: dict[str, str],
    section,
    layout: Layout,
    r: int,
    wrapped: bool,
    path: SectionPath,
) -> Nominee:
    name = one_line(fields["name"])
    position = one_line(fields["position"])
    category, category_text = resolve_category(one_line(fields["category"]), section, position, name)
    return Nominee(
        rank=rank,
        rank_text=rank_text,
        name=name,
        category=category,
        category_text=category_text,
        position=position,
        achievements=fields["achievements"],
        evidence=split_evidence(fields["evidence"], wrapped=wrapped),
        award=one_line(fields["award"]) or path.award(),
        labels=dict(layout.labels),
        row=r + 1,
        section=path.text,
        unit=one_line(fields["unit"]),
    )


def _continued(nominee: Nominee, fields: dict[str, str], wrapped: bool) -> Nominee:
    def join(before: str, more: str, sep: str) -> str:
        return sep.join(t for t in (before, more) if t)

    achievements = join(nominee.achievements, fields["achievements"], "\n")
    evidence = split_evidence(fields["evidence"], wrapped=wrapped)
    if wrapped:
        # the rest of a pdf row that went over a page: its first line carries on the last one
        achievements = unwrap_prose(achievements)
        evidence = split_evidence("\n".join((*nominee.evidence, *evidence)), wrapped=True)
    else:
        evidence = nominee.evidence + evidence
    return replace(
        nominee,
        name=join(nominee.name, one_line(fields["name"]), " "),
        position=join(nominee.position, one_line(fields["position"]), " "),
        achievements=achievements,
        evidence=evidence,
        award=join(nominee.award, one_line(fields["award"]), " "),
        unit=join(nominee.unit, one_line(fields["unit"]), " "),
        labels=nominee.labels,
    )
