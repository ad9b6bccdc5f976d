"""`make demo`: the main job on the embedded default over the bundled example mails.

Sets up a fresh demo/ folder (Maildir inbox, directory outbox, SQLite), delivers the
example mails with their arrival times, loads the school registry and runs
`thidua run --once`. Everything it writes stays under demo/.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))

from make_examples import MAILS  # noqa: E402  (arrival times live next to the mails)

from thidua.cli import main as thidua  # noqa: E402
from thidua.intake.sources import deliver_to_maildir  # noqa: E402

DEMO = ROOT / "demo"


def call(*args: str) -> None:
    sys.argv = ["thidua", "--config", str(DEMO / "thidua.toml"), *args]
    try:
        thidua()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise


def main() -> None:
    if DEMO.exists():
        shutil.rmtree(DEMO)
    DEMO.mkdir()
    for name in ("thidua.toml", "campaign.toml", "schools.csv"):
        shutil.copy(ROOT / "examples" / name, DEMO / name)
    for name, arrival, _build in MAILS:
        deliver_to_maildir(DEMO / "var" / "inbox", (ROOT / "examples" / "mail" / name).read_bytes(), arrival)
    call("schools", "import", str(DEMO / "schools.csv"))
    call("run", "--once")
    print(f"\nReplies: {DEMO / 'var' / 'outbox'}   JSON: thidua --config {DEMO / 'thidua.toml'} submissions --json")


if __name__ == "__main__":
    main()
