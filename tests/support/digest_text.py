"""Reading the printed staff digest in tests: its numbered sections and the receipts listed."""

from __future__ import annotations

import re

SECTION = re.compile(r"^(\d)\. (.+) \((\d+)\)$")


def sections(text: str) -> dict[int, tuple[str, int, str]]:
    """Numbered section → (heading, count in the heading, body until the next section)."""
    found: dict[int, tuple[str, int, str]] = {}
    current = None
    for line in text.splitlines():
        match = SECTION.match(line.strip())
        if match:
            current = int(match.group(1))
            found[current] = (match.group(2), int(match.group(3)), "")
        elif current is not None:
            heading, count, body = found[current]
            found[current] = (heading, count, body + line + "\n")
    return found


def receipts(body: str) -> list[str]:
    return re.findall(r"^- (HS-\d{4}-\d{4})", body, flags=re.MULTILINE)
