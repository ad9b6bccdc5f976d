"""The school registry file (CSV or XLSX): school names and their e-mail addresses.

Offices keep this list in Excel with Vietnamese headers ("Tên trường", "Email"); one
school may list several addresses in one cell or in several e-mail columns.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from thidua.parsers.content import UnreadableDocument
from thidua.parsers.filetypes import sniff
from thidua.parsers.xlsx import read_xlsx
from thidua.text import clean, fold

NAME_HEADERS = (
    "ten truong",
    "truong",
    "ten don vi",
    "don vi",
    "co so giao duc",
    "ten co so giao duc",
    "school",
    "name",
    "ten",
)
EMAIL_HEADERS = (
    "email",
    "e mail",
    "dia chi email",
    "dia chi e mail",
    "thu dien tu",
    "dia chi thu dien tu",
    "mail",
    "emails",
)
_ADDRESS = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


class RegistryError(ValueError):
    """The registry file cannot be used; the message says why in one line."""


@dataclass(frozen=True)
class SchoolEntry:
    name: str
    addresses: tuple[str, ...]


def _header_columns(row: list[str]) -> tuple[int | None, list[int]]:
    folded = [fold(cell) for cell in row]
    name_col = next((i for i, f in enumerate(folded) if f in NAME_HEADERS), None)
    email_cols = [i for i, f in enumerate(folded) if f in EMAIL_HEADERS or f.startswith("email")]
    return name_col, email_cols


def parse_rows(rows: list[list[str]]) -> tuple[SchoolEntry, ...]:
    for index, row in enumerate(rows[:20]):  # noqa: B007 - the header row's index is used after the loop
        name_col, email_cols = _header_columns(row)
        if name_col is not None and email_cols:
            break
    else:
        raise RegistryError('no header row with a school-name column ("Tên trường") and an "Email" column')
    entries: dict[str, list[str]] = {}
    for row in rows[index + 1 :]:
        name = clean(row[name_col]) if name_col < len(row) else ""
        cells = " ".join(row[c] for c in email_cols if c < len(row))
        addresses = [a.lower() for a in _ADDRESS.findall(cells)]
        if not name or not addresses:
            continue
        known = entries.setdefault(name, [])
        known.extend(a for a in addresses if a not in known)
    if not entries:
        raise RegistryError("the file lists no school with an e-mail address")
    return tuple(SchoolEntry(name, tuple(addresses)) for name, addresses in entries.items())


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1258", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_registry(data: bytes) -> tuple[SchoolEntry, ...]:
    kind = sniff(data)
    if kind in ("xlsx", "xlsm"):
        try:
            document = read_xlsx(data)
        except UnreadableDocument as exc:
            raise RegistryError(f"the spreadsheet cannot be read ({exc.reason})") from None
        for table in document.tables:
            try:
                return parse_rows([list(r) for r in table.rows])
            except RegistryError:
                continue
        raise RegistryError('no sheet has a school-name column ("Tên trường") and an "Email" column')
    if kind not in ("text", "unknown"):
        raise RegistryError(f"expected a CSV or XLSX file, got {kind}")
    text = _decode(data)
    # The sniffer guesses from the first lines; a title line above the header ("DANH SÁCH
    # TRƯỜNG") can make it guess wrong or give up, so the other usual separators are tried too.
    dialects: list = []
    try:
        dialects.append(csv.Sniffer().sniff(text[:4096], delimiters=",;\t"))
    except csv.Error:
        pass
    for delimiter in (",", ";", "\t"):
        if not dialects or dialects[0].delimiter != delimiter:
            dialects.append(_separated(delimiter))
    first_error: RegistryError | None = None
    for dialect in dialects:
        try:
            return parse_rows([list(r) for r in csv.reader(io.StringIO(text), dialect)])
        except RegistryError as exc:
            first_error = first_error or exc
    raise first_error


def _separated(delimiter: str) -> type[csv.Dialect]:
    return type("Separated", (csv.excel,), {"delimiter": delimiter})
