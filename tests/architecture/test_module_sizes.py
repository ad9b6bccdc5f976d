"""No module grows past what a newcomer reads in one sitting; data tables are the exception."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "thidua"
MOST_LINES = 420  # "about 400"
# Tables of data rather than logic: the schema, the wording, form definitions, migrations.
DATA_TABLES = {"store/models.py", "wording/findings.py", "parsers/forms/definitions.py"}
# Modules waiting to be split by subject (none today).
TO_SPLIT: set[str] = set()


def test_no_module_is_over_about_400_lines():
    too_long = {}
    for module in sorted(PACKAGE.rglob("*.py")):
        name = module.relative_to(PACKAGE).as_posix()
        if name in DATA_TABLES | TO_SPLIT or name.startswith("store/migrations/"):
            continue
        lines = len(module.read_text(encoding="utf-8").splitlines())
        if lines > MOST_LINES:
            too_long[name] = lines
    assert too_long == {}, "split these by subject (see CONTRIBUTING.md)"
