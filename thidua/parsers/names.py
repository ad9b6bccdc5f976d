"""File names from strangers, made safe to show: they are display names only, never paths."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_CHARS = 180  # file systems allow 255 bytes; a reply line must stay readable

# C0/C1 controls, and the format characters that reorder or hide text
# (U+202E makes "gcod.exe" read "exe.docx").
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]")
_BLANKS = re.compile(r"\s+")


def display_name(name: str) -> str:
    """The last path component of ``name``, without control characters, on one line,
    at most MAX_NAME_CHARS long (the extension kept); "" when nothing is left."""
    name = re.split(r"[\\/]", str(name))[-1]
    name = _CONTROLS.sub("", re.sub(r"[\t\n\r\f\v]", " ", name))
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cs", "Co"))
    name = _BLANKS.sub(" ", name).strip().strip(". ").strip()
    if len(name) > MAX_NAME_CHARS:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and 0 < len(extension) <= 10:
            name = stem[: MAX_NAME_CHARS - len(extension) - 2].rstrip() + "…." + extension
        else:
            name = name[: MAX_NAME_CHARS - 1].rstrip() + "…"
    return name
