"""Word documents (.docx, .docm) as paragraphs and tables in reading order.

Only the main document part (and its styles, when a legacy Vietnamese font is named) is
opened (see ``ooxml``), parsed by python-docx's XML layer; the body is walked directly
because python-docx's high-level API skips text boxes, content controls and nested tables,
which schools' templates are full of.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import nsmap, qn
from lxml import etree

from thidua.parsers import vnlegacy
from thidua.parsers.content import Block, DocumentText, Paragraph, Table, UnreadableDocument
from thidua.parsers.filetypes import sniff
from thidua.parsers.ooxml import OfficePackage
from thidua.text import clean

_W_BODY = qn("w:body")
_W_P = qn("w:p")
_W_TBL = qn("w:tbl")
_W_TR = qn("w:tr")
_W_TC = qn("w:tc")
_W_T = qn("w:t")
_W_TAB = qn("w:tab")
_W_BR = qn("w:br")
_W_CR = qn("w:cr")
_W_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
_W_SOFT_HYPHEN = qn("w:softHyphen")
_W_R = qn("w:r")
_W_TEXT_BOX = qn("w:txbxContent")
_W_GRID_COL = qn("w:gridCol")
# Property subtrees hold tab stops and such, never text; the Fallback branch of
# mc:AlternateContent repeats the text box already read from mc:Choice.
_NO_TEXT = {
    qn("w:pPr"),
    qn("w:rPr"),
    qn("w:tblPr"),
    qn("w:trPr"),
    qn("w:tcPr"),
    qn("w:sdtPr"),
    qn("w:sectPr"),
    qn("w:tblGrid"),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
}
# A corrupt gridSpan must not make a row of a million cells.
_MAX_SPAN = 256


def read_docx(data: bytes) -> DocumentText:
    """Body paragraphs and tables in document order; raises UnreadableDocument."""
    package = OfficePackage(data)
    try:
        main = package.main_part()
        body = package.xml(main).find(_W_BODY)
        if body is None:
            raise UnreadableDocument("corrupt", "no document body")
        blocks = tuple(_blocks(body, _LegacyFonts.of(package, main, body)))
    except UnreadableDocument:
        raise
    except Exception as error:
        raise UnreadableDocument("corrupt", f"{type(error).__name__}: {error}"[:200]) from None
    notes = ("macros",) if sniff(data) == "docm" else ()
    return DocumentText(format="docx", blocks=blocks, notes=notes)


def _blocks(container, fonts: _LegacyFonts | None) -> Iterator[Block]:
    for child in container.iterchildren():
        if child.tag == _W_P:
            yield from _paragraph_blocks(child, fonts)
        elif child.tag == _W_TBL:
            table = _table(child, fonts)
            if table.rows:
                yield table
        elif child.tag not in _NO_TEXT:
            yield from _blocks(child, fonts)  # content controls, custom XML, revisions


def _paragraph_blocks(paragraph, fonts: _LegacyFonts | None) -> Iterator[Block]:
    pieces: list[tuple[str, str | None]] = []
    text_boxes: list = []
    style = fonts.paragraph_style(paragraph) if fonts else None
    _collect_text(paragraph, pieces, text_boxes, fonts, style, None)
    text = clean(_unicode(pieces, fonts))
    if text:
        yield Paragraph(text)
    for box in text_boxes:
        yield from _blocks(box, fonts)


def _collect_text(
    element,
    pieces: list[tuple[str, str | None]],
    text_boxes: list,
    fonts: _LegacyFonts | None,
    style: str | None,
    encoding: str | None,
) -> None:
    """Text pieces, each with the legacy encoding its run's font holds (None: a Unicode font)."""
    for child in element.iterchildren():
        tag = child.tag
        if tag == _W_T:
            pieces.append((child.text or "", encoding))
        elif tag == _W_TAB:
            pieces.append(("\t", encoding))
        elif tag in (_W_BR, _W_CR):
            pieces.append(("\n", encoding))
        elif tag == _W_NO_BREAK_HYPHEN:
            pieces.append(("-", encoding))
        elif tag == _W_SOFT_HYPHEN:
            # TCVN3's "ư" is the soft hyphen's code; clean() drops it from any other text.
            pieces.append(("\xad", encoding))
        elif tag == _W_TEXT_BOX:
            text_boxes.append(child)
        elif tag == _W_R and fonts is not None:
            _collect_text(child, pieces, text_boxes, fonts, style, fonts.of_run(child, style))
        elif tag not in _NO_TEXT:
            _collect_text(child, pieces, text_boxes, fonts, style, encoding)


def _unicode(pieces: list[tuple[str, str | None]], fonts: _LegacyFonts | None) -> str:
    """Neighbouring runs in one font are decoded together (a VNI letter and its diacritic
    may sit in two runs), apart from runs that hold Unicode already."""
    return "".join(
        vnlegacy.convert(
            "".join(text for text, _ in group),
            encoding,
            trusted=fonts is not None and encoding in fonts.trusted,
        )
        for (encoding, _), group in groupby(
            pieces, key=lambda piece: (piece[1], vnlegacy.is_unicode(piece[0]))
        )
    )


def _table(table, fonts: _LegacyFonts | None) -> Table:
    rows: list[list[str]] = []
    for tr in _descendants(table, _W_TR, stop=_W_TBL):
        above = rows[-1] if rows else []
        row = [""] * _clamp(tr.grid_before)
        for tc in _descendants(tr, _W_TC, stop=_W_TBL):
            span = max(1, _clamp(tc.grid_span))
            if tc.vMerge == "continue":
                text = above[len(row)] if len(row) < len(above) else ""
            else:
                text = _cell_text(tc, fonts)
            row.extend([text] * span)
        row.extend([""] * _clamp(tr.grid_after))
        rows.append(row)
    width = max([len(table.findall(f"{qn('w:tblGrid')}/{_W_GRID_COL}"))] + [len(row) for row in rows])
    return Table(rows=tuple(tuple(row + [""] * (width - len(row))) for row in rows))


def _descendants(element, tag: str, *, stop: str):
    """Children named ``tag``, also when wrapped in content controls, but not inside a nested ``stop``."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag != stop and child.tag not in _NO_TEXT:
            yield from _descendants(child, tag, stop=stop)


def _cell_text(cell, fonts: _LegacyFonts | None) -> str:
    lines: list[str] = []
    for block in _blocks(cell, fonts):
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines.extend(" | ".join(_distinct_neighbours(row)) for row in block.rows)
    return clean("\n".join(lines))


def _distinct_neighbours(cells: tuple[str, ...]) -> list[str]:
    """A nested row's cell texts once each: merged cells repeat their text."""
    result: list[str] = []
    for text in cells:
        if text and (not result or result[-1] != text):
            result.append(text)
    return result


def _clamp(count) -> int:
    try:
        return max(0, min(int(count or 0), _MAX_SPAN))
    except (TypeError, ValueError):
        return 0


_W_RPR = qn("w:rPr")
_W_PPR = qn("w:pPr")
_W_RFONTS = qn("w:rFonts")
_W_RSTYLE = qn("w:rStyle")
_W_PSTYLE = qn("w:pStyle")
_W_STYLE = qn("w:style")
_W_BASED_ON = qn("w:basedOn")
_W_VAL = qn("w:val")
_W_STYLE_ID = qn("w:styleId")
_W_TYPE = qn("w:type")
_W_DEFAULT = qn("w:default")
_DOC_DEFAULT_FONTS = f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{_W_RPR}/{_W_RFONTS}"
# Compiled: ElementPath costs a registration's styles part half a millisecond.
_BODY_FONT_NAMES = etree.XPath(".//w:rFonts/@w:ascii | .//w:rFonts/@w:hAnsi", namespaces={"w": nsmap["w"]})
_STYLE_FONT_NAMES = etree.XPath(
    "w:style/w:rPr/w:rFonts/@w:ascii | w:style/w:rPr/w:rFonts/@w:hAnsi"
    " | w:docDefaults/w:rPrDefault/w:rPr/w:rFonts/@w:ascii | w:docDefaults/w:rPrDefault/w:rPr/w:rFonts/@w:hAnsi",
    namespaces={"w": nsmap["w"]},
)
# Latin text outside ASCII, where the legacy codes live, is drawn in the hAnsi font.
_FONT_SLOTS = ((qn("w:hAnsiTheme"), qn("w:hAnsi")), (qn("w:asciiTheme"), qn("w:ascii")))
_MAX_STYLE_DEPTH = 32
# Attribute values that start as the legacy font names do (see vnlegacy.legacy_encoding_of_font).
_LEGACY_FONT_VALUES = (b'="vn', b'=".vn', b"='vn", b"='.vn")

# The (hAnsi, ascii) font names one rFonts element sets; None: not set there, "": a theme font.
_Fonts = tuple[str | None, str | None]


class _LegacyFonts:
    """The legacy encoding each run's font holds, the way Word finds the font: the
    run's own, its character style's, its paragraph style's, the document default.
    Table styles are not followed: old documents set their fonts on the text."""

    def __init__(self, styles) -> None:
        self._styles: dict[str, tuple[str | None, _Fonts]] = {}
        self._default_style: str | None = None
        self._defaults: _Fonts = (None, None)
        if styles is not None:
            for style in styles.iterchildren(_W_STYLE):
                style_id = style.get(_W_STYLE_ID)
                based_on = style.find(_W_BASED_ON)
                rpr = style.find(_W_RPR)
                self._styles[style_id] = (
                    None if based_on is None else based_on.get(_W_VAL),
                    _fonts(None if rpr is None else rpr.find(_W_RFONTS)),
                )
                if style.get(_W_TYPE) == "paragraph" and style.get(_W_DEFAULT) in ("1", "true", "on"):
                    self._default_style = style_id
            self._defaults = _fonts(styles.find(_DOC_DEFAULT_FONTS))
        self._cache: dict[tuple, str | None] = {}
        self.trusted: frozenset[str] = frozenset()

    @classmethod
    def of(cls, package: OfficePackage, main: str, body) -> _LegacyFonts | None:
        """None for the usual document that names no legacy font, so it costs nothing more."""
        styles_part = package.related(main, RELATIONSHIP_TYPE.STYLES)
        # A styles part is tens of kilobytes of Word's defaults: parsed only if it may name a legacy font.
        styles = (
            package.xml(styles_part)
            if styles_part and _may_name_legacy_font(package.read(styles_part))
            else None
        )
        names = set(_BODY_FONT_NAMES(body)) | set(_STYLE_FONT_NAMES(styles) if styles is not None else ())
        if not any(map(vnlegacy.legacy_encoding_of_font, names)):
            return None
        fonts = cls(styles)
        fonts.trusted = vnlegacy.trusted_encodings(fonts._samples(body))
        return fonts

    def paragraph_style(self, paragraph) -> str | None:
        ppr = paragraph.find(_W_PPR)
        style = None if ppr is None else ppr.find(_W_PSTYLE)
        return self._default_style if style is None else style.get(_W_VAL)

    def of_run(self, run, paragraph_style: str | None) -> str | None:
        rpr = run.find(_W_RPR)
        own, character_style = (None, None), None
        if rpr is not None:
            own = _fonts(rpr.find(_W_RFONTS))
            style = rpr.find(_W_RSTYLE)
            character_style = None if style is None else style.get(_W_VAL)
        key = (own, character_style, paragraph_style)
        if key not in self._cache:
            chain = [own, *self._chain(character_style), *self._chain(paragraph_style), self._defaults]
            names = [
                next((fonts[slot] for fonts in chain if fonts[slot] is not None), None)
                for slot in range(len(_FONT_SLOTS))
            ]
            self._cache[key] = next(filter(None, map(vnlegacy.legacy_encoding_of_font, names)), None)
        return self._cache[key]

    def _chain(self, style_id: str | None) -> list[_Fonts]:
        chain: list[_Fonts] = []
        seen: set[str] = set()
        while style_id in self._styles and style_id not in seen and len(seen) < _MAX_STYLE_DEPTH:
            seen.add(style_id)
            style_id, fonts = self._styles[style_id]
            chain.append(fonts)
        return chain

    def _samples(self, body) -> Iterator[tuple[str, str]]:
        """(encoding, text) of every run in a legacy font."""
        for run in body.iter(_W_R):
            paragraph = next(run.iterancestors(_W_P), None)
            encoding = self.of_run(run, None if paragraph is None else self.paragraph_style(paragraph))
            if encoding:
                yield encoding, "".join(t.text or "" for t in run.iterchildren(_W_T))


def _may_name_legacy_font(xml: bytes) -> bool:
    lowered = xml.lower()
    return any(value in lowered for value in _LEGACY_FONT_VALUES)


def _fonts(rfonts) -> _Fonts:
    if rfonts is None:
        return (None, None)
    return tuple("" if rfonts.get(theme) is not None else rfonts.get(name) for theme, name in _FONT_SLOTS)
