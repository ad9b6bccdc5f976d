"""A spreadsheet cell's value as Excel shows it, and the bounds every workbook reader keeps to."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from thidua.parsers import vnlegacy
from thidua.text import clean

# A form is a few hundred cells; these bound a hostile sheet, not a real one.
MAX_ROWS = 20_000
MAX_COLUMNS = 512
# Cells that merged ranges may cover in one workbook (each is written out).
MAX_MERGED_CELLS = 1_000_000


def render_cell(
    value, number_format: str = "General", *, font_encoding: str | None = None, font_trusted: bool = True
) -> str:
    """A cell value as Excel would show it to a Vietnamese clerk, minus thousands separators.

    Text in a legacy Vietnamese font (``font_encoding``, see vnlegacy) is decoded;
    text of unknown font is decoded when it clearly holds TCVN3 or VNI codes.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if "%" in (number_format or ""):
            return _number(value * 100) + "%"
        return _number(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, timedelta):
        return str(value)
    return clean(vnlegacy.convert(str(value), font_encoding, trusted=font_trusted))


def _number(value: int | float) -> str:
    if isinstance(value, int) and abs(value) < 10**15:
        return str(value)
    value = float(value)  # Excel keeps 15 significant digits of any number, and shows no more
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = format(value, ".15g")  # drops binary noise: 0.1 + 0.2 shows as 0.3
    return format(Decimal(text), "f") if "e" in text else text
