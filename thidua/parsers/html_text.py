"""The visible text of an HTML mail body."""

from __future__ import annotations

import re
from html.parser import HTMLParser


def html_to_text(html: str) -> str:
    """Visible text of an HTML body, one line per block element."""
    extractor = _HtmlText()
    try:
        extractor.feed(html)
        extractor.close()
    except Exception:
        pass  # keep whatever text came before the broken markup
    lines = (" ".join(line.split()) for line in "".join(extractor.pieces).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _HtmlText(HTMLParser):
    _BLOCKS = {
        "p",
        "div",
        "br",
        "tr",
        "li",
        "ul",
        "ol",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "hr",
        "section",
        "article",
        "header",
        "footer",
    }
    _HIDDEN = {"script", "style", "title", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BLOCKS:
            self.pieces.append("\n")
        elif tag in ("td", "th"):
            self.pieces.append(" ")

    def handle_endtag(self, tag):
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BLOCKS:
            self.pieces.append("\n")

    def handle_data(self, data):
        if not self._hidden:
            self.pieces.append(data)
