"""Registrations ("Mẫu gợi ý số 1", seed 01) in the shapes schools send them.

* one form in paragraphs: "1. Họ tên người đăng ký: …", values inline or on the
  lines below (bullets), up to the next label or the signature;
* the same form as a table: label | value, or the value in the row below;
* one table with a header row of labels and a row per person;
* several forms one after another in one file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from thidua.parsers.content import DocumentText, Table
from thidua.parsers.forms.cells import continues, unwrap
from thidua.parsers.forms.definitions import (
    BODY_FIELDS,
    BODY_MEANING_OF_HEADER_LABEL,
    FIRST_BODY_FIELD,
    HEADER_FIELDS,
    REGISTRATION_FORM,
)
from thidua.parsers.forms.header import HEADER_LINES, Header, normalise_school_year, read_header, school_value
from thidua.parsers.forms.labels import LabelMatch, is_filler, value_text
from thidua.parsers.forms.lines import Line, document_lines, split_lines
from thidua.parsers.forms.model import REGISTRATION_FIELDS, Registration
from thidua.parsers.forms.normal import clean, fold
from thidua.parsers.forms.roles import REGISTRATION_MATCHER, TableRoles, is_registration_header, table_roles
from thidua.parsers.forms.tables import Layout, row_keys
from thidua.parsers.forms.template import is_column_numbers, is_signature_line, is_template_hint, is_total
from thidua.parsers.forms.titles import title_kind

OFFICIAL_LABELS = {f.key: f.official for f in REGISTRATION_FORM}
# A form table is a page or two; a longer sheet is data (marks, lists), never a form.
FORM_MAX_TABLE_ROWS = 200
_NUMBERED = ("number", "roman", "letter")


# --- public --------------------------------------------------------------------------


def extract_registrations(doc: DocumentText, roles: TableRoles | None = None) -> tuple[Registration, ...]:
    """Every registration in the document, in reading order."""
    return read_registrations(doc, roles)[0]


def read_registrations(
    doc: DocumentText, roles: TableRoles | None = None, all_lines: tuple[Line, ...] | None = None
) -> tuple[tuple[Registration, ...], Header]:
    """Registrations and the header above them (school, school year). ``all_lines``
    is ``document_lines(doc)`` when the caller has it already."""
    roles = roles or table_roles(doc)
    data_tables = frozenset(
        i for i, b in enumerate(doc.blocks) if isinstance(b, Table) and len(b.rows) > FORM_MAX_TABLE_ROWS
    )
    lines = document_lines(doc, skip_tables=roles.record_tables | data_tables, is_label=_is_label_cell)
    forms = _FormReader(wrapped=doc.format == "pdf").read(lines)
    first_record = _first_record_position(forms, roles)
    if all_lines is None:
        all_lines = document_lines(doc, limit=HEADER_LINES)
    header = read_header(
        line.text for line in all_lines if first_record is None or line.position < first_record
    )
    found: list[tuple[tuple[int, int], Registration]] = []
    for form in forms:
        found.append((form.position, _registration(form.values, form.labels, header)))
    for index, layout in roles.registrations.items():
        table = doc.blocks[index]
        assert isinstance(table, Table)
        for row, values, labels in _table_rows(table, layout):
            found.append(((index, row), _registration(values, labels, header)))
    found.sort(key=lambda item: item[0])
    return tuple(r for _, r in found), header


def _first_record_position(forms: list[_Form], roles: TableRoles) -> tuple[int, int] | None:
    """Where the first form or record table starts: the header is what lies above."""
    positions = [form.position for form in forms]
    positions += [(index, layout.top) for index, layout in {**roles.registrations, **roles.nominees}.items()]
    return min(positions) if positions else None


def _registration(values: dict[str, str], labels: dict[str, str], header: Header) -> Registration:
    values = dict(values)
    labels = dict(labels)
    if "school" not in values and header.school_found:
        values["school"] = header.school
        labels["school"] = header.school_label or OFFICIAL_LABELS["school"]
    if "school_year" not in values and header.school_year_found:
        values["school_year"] = header.school_year
        labels["school_year"] = header.school_year_label or OFFICIAL_LABELS["school_year"]
    order = {key: i for i, key in enumerate(REGISTRATION_FIELDS)}
    keys = sorted(values, key=order.__getitem__)
    return Registration(values={k: values[k] for k in keys}, labels={k: labels[k] for k in keys})


def _is_label_cell(text: str) -> bool:
    match = REGISTRATION_MATCHER.match(text)
    return match is not None and is_filler(match.value)


def _field_value(key: str, raw: str, alias: str = "") -> str:
    if key == "school_year":
        return normalise_school_year(raw)
    if key == "school":
        return school_value(raw, alias)
    return value_text(raw)


# --- a table with one person per row ---------------------------------------------------


def _table_rows(table: Table, layout: Layout):
    """(row index, values, labels) for each person in a registration table."""
    for r in range(layout.body, len(table.rows)):
        row = table.rows[r]
        texts = [clean(c) if c else "" for c in row]
        filled = [t for t in texts if t]
        if not filled or is_column_numbers(tuple(row)):
            continue
        if all(is_signature_line(t) for t in filled):
            break  # the signature under the table
        if is_total(filled[0]):
            continue
        if is_registration_header(row_keys(row, REGISTRATION_MATCHER)):
            continue  # the header repeated on a new page
        values = {key: _field_value(key, layout.get(row, key)) for key in layout.columns}
        if not any(values.get(key) for key in BODY_FIELDS):
            continue  # a numbered but empty row of the template
        yield r, values, dict(layout.labels)


# --- forms written as lines --------------------------------------------------------------


@dataclass
class _Form:
    position: tuple[int, int]
    values: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    parts: dict[str, list[str]] = field(default_factory=dict)
    closed: bool = False  # the signature was reached

    @property
    def has_body(self) -> bool:
        return any(key in self.values for key in BODY_FIELDS)

    def set(self, key: str, label: str, value: str) -> None:
        self.labels[key] = label
        self.parts[key] = [value] if value else []
        self.values[key] = value

    def add(self, key: str, text: str, wrapped: bool = False) -> None:
        """``wrapped``: lines of a pdf, broken at the page's width, not by the school."""
        text = value_text(text)
        if not text:
            return
        parts = self.parts[key]
        if wrapped and parts and continues(parts[-1], text):
            parts[-1] = unwrap(f"{parts[-1]}\n{text}")
        else:
            parts.append(text)
        self.values[key] = "\n".join(parts)


# A template hint a pdf wrapped runs over at most this many lines.
_HINT_LINES = 5


class _FormReader:
    """Reads lines top to bottom; a label starts a field, the lines after it are its
    value until the next label or the signature."""

    def __init__(self, wrapped: bool = False) -> None:
        self.wrapped = wrapped  # a pdf: a value's lines are the page's, rejoin them
        self.forms: list[_Form] = []
        self.form: _Form | None = None
        self.collecting: str | None = None  # field whose value the next lines continue
        self.last_number: int | None = None  # "4" after "4. Thực trạng …"
        self.label_style: str | None = None  # how this school writes labels: number, bullet, …
        self.title_seen = False  # a registration title: what follows is a form
        self.open_hint: list[tuple[str, Line]] = []  # a pdf's lines of a "(…" hint not yet closed

    def read(self, lines: tuple[Line, ...]) -> list[_Form]:
        for line in lines:
            if line.value is not None and self._pair(line):
                continue
            self._line(line.text, line)
            if line.value is not None:
                for text in split_lines(line.value):
                    self._line(text, line)
        held, self.open_hint = self.open_hint, []  # a "(" never closed was no hint
        for text, line in held:
            self._read_line(text, line)
        return self.forms

    def _pair(self, line: Line) -> bool:
        """A form table's row: label cell and value cell."""
        match = REGISTRATION_MATCHER.match(line.text)
        if match is None:
            return False
        key = self._decide(match, in_table=True)
        if key is None:
            return False
        inline = match.value if not is_filler(match.value) else ""
        self._start(key, match, line, "\n".join(t for t in (inline, line.value or "") if t))
        self.collecting = key
        return True

    def _line(self, text: str, line: Line) -> None:
        if self.wrapped and (self.open_hint or (text.startswith("(") and ")" not in text)):
            # a pdf wraps the template's long hint under a label over several lines
            self.open_hint.append((text, line))
            if ")" not in text and len(self.open_hint) < _HINT_LINES:
                return
            held, self.open_hint = self.open_hint, []
            if is_template_hint(" ".join(t for t, _ in held)):
                return
            for held_text, held_line in held:
                self._read_line(held_text, held_line)
            return
        self._read_line(text, line)

    def _read_line(self, text: str, line: Line) -> None:
        if is_template_hint(text):
            return
        if title_kind(text) == "registration":
            # the title of the next form: the one before is complete
            if self.form and self.form.has_body:
                self.form.closed = True
            self.collecting = None
            self.last_number = None
            self.title_seen = True
            return
        match = REGISTRATION_MATCHER.match(text)
        key = self._decide(match, in_table=False) if match else None
        if key is not None and match is not None:
            self._start(key, match, line, match.value)
            self.collecting = key
            return
        if is_signature_line(text):
            self.collecting = None
            if self.form and self.form.has_body:
                self.form.closed = True
            return
        if self.collecting and self.form:
            self.form.add(self.collecting, text, self.wrapped)

    def _decide(self, match: LabelMatch, *, in_table: bool) -> str | None:
        """The field a matched label starts, or None when the line is better read as
        part of the value being collected (or as the signature)."""
        key = match.key
        form = self.form if self.form and not self.form.closed else None
        in_body = form is not None and form.has_body
        if key in BODY_MEANING_OF_HEADER_LABEL and in_body and not _looks_like_school_year(match):
            key = BODY_MEANING_OF_HEADER_LABEL[key]
        if key in HEADER_FIELDS:
            # above the body, the header reader takes it; inside a form, it belongs to it
            if not in_body or key in form.values:
                return None
            return (
                key
                if in_table or self.collecting is None or (match.separated and match.score >= 0.9)
                else None
            )
        inline = not is_filler(match.value)
        if form is None and not in_table and not self.title_seen and _run_in(match):
            # "Giải pháp đổi mới trong công tác quản lý …" in running text is a sentence;
            # a form starts with a label written as one (numbered, colon, on its own line)
            return None
        if form is not None and key in form.values:
            # the first label again, written as a label, starts the next person's form
            if key == FIRST_BODY_FIELD and (in_table or match.numbering.style in _NUMBERED or inline):
                return key
            return None
        if form is None and self.form is not None and self.form.closed:
            # after a signature only a real label starts a new form ("Người đăng ký" is a sign-off)
            return key if in_table or match.numbering.style in _NUMBERED or inline else None
        if self.collecting is None or in_table:
            return key
        return key if self._written_like_labels(match) else None

    def _written_like_labels(self, match: LabelMatch) -> bool:
        """Inside a value, a line is a new label only when written the way this
        school writes its labels: "5." after "4.", not a bullet "- Giải pháp" or a
        sub-step "1. …" under label 8."""
        style = match.numbering.style
        if style == "number":
            return self.last_number is None or (match.numbering.number or 0) > self.last_number
        if style in ("roman", "letter"):
            # numbered otherwise than the other labels: a label only if it is plainly one
            return style == self.label_style or (match.score >= 0.9 and (match.whole or match.separated))
        if style == "bullet":
            return style == self.label_style
        if self.label_style in _NUMBERED or self.label_style == "bullet":
            return match.score >= 0.999 and len(match.alias.split()) >= 2 and (match.whole or match.separated)
        return match.strong

    def _start(self, key: str, match: LabelMatch, line: Line, raw_value: str) -> None:
        form = self.form
        if form is None or form.closed or (key == FIRST_BODY_FIELD and key in form.values):
            form = _Form(position=line.position)
            self.forms.append(form)
            self.form = form
            self.last_number = None
        if key in BODY_FIELDS:
            if self.label_style is None:
                self.label_style = match.numbering.style
            if match.numbering.style == "number":
                self.last_number = match.numbering.number
        form.set(key, match.label, _field_value(key, raw_value, match.alias))


def _run_in(match: LabelMatch) -> bool:
    """A label's words starting a line that goes on without colon or numbering."""
    return not (match.whole or match.separated or match.numbering.style in _NUMBERED)


def _looks_like_school_year(match: LabelMatch) -> bool:
    """ "Thời gian thực hiện: Năm học 2023-2024" heads the form; "Thời gian thực hiện:
    tháng 10/2023 – tháng 4/2024" inside it is the trial period."""
    if "nam hoc" in fold(match.label) or "nam hoc" in fold(match.value):
        return True
    value = normalise_school_year(match.value)
    return not value or (len(value) == 9 and value[4] == "-")
