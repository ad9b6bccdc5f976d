"""Hostile files through the real pipeline: each ends as a clear problem for the school, in bounded time."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.support import hostile
from tests.support.bombs import CASES, OCTET, mail
from tests.support.builders import (
    REGISTRATION_EXAMPLE,
    make_eml,
    make_pdf,
    nomination_xlsx,
    registration_docx,
)
from tests.support.office import OFFICE
from thidua.parsers.content import UnreadableDocument
from thidua.parsers.isolation import WorkerLimits, read_isolated

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 30


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_attachment_asks_for_correction_in_bounded_time(mailroom, case):
    name, build, expected = CASES[case]
    raw = mail(name, build())
    started = time.monotonic()
    outcome = mailroom.process(raw)
    elapsed = time.monotonic() - started
    assert elapsed < SECONDS, f"{case} took {elapsed:.1f} s"
    assert outcome.status == "needs_correction", outcome
    [entry] = mailroom.submissions()
    problems = {p["code"] for p in entry["problems"]}
    assert problems & expected, (case, entry["problems"])
    assert all(p["message"] for p in entry["problems"])
    assert len(mailroom.replies()) == 1


def test_huge_sheet_dimension_is_read_as_the_cells_it_holds(mailroom):
    row = {
        "name": "Nguyễn Thị Hoa",
        "category": "Giáo viên",
        "position": "Giáo viên Toán",
        "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện",
        "evidence": ["Giấy khen Hoa.pdf"],
        "award": "Giấy khen",
    }
    xlsx = hostile.huge_dimension_xlsx(nomination_xlsx([row]))
    raw = make_eml(
        sender="c2anbinh@example.vn",
        to=OFFICE,
        subject="Danh sách",
        attachments=[
            ("Danh sách.xlsx", xlsx, OCTET),
            ("Giấy khen Hoa.pdf", make_pdf(["GIẤY KHEN", "Tặng Nguyễn Thị Hoa"]), OCTET),
        ],
    )
    started = time.monotonic()
    outcome = mailroom.process(raw)
    assert time.monotonic() - started < SECONDS
    assert outcome.status == "accepted", mailroom.submissions()[0]["problems"]
    assert [n["name"] for n in mailroom.submissions()[0]["nominees"]] == ["Nguyễn Thị Hoa"]


def test_macro_enabled_docm_is_read_and_noted(mailroom):
    from thidua.parsers.docx import read_docx

    data = hostile.docm(registration_docx(**REGISTRATION_EXAMPLE))
    assert "macros" in read_docx(data).notes
    raw = make_eml(
        sender="c2anbinh@example.vn",
        to=OFFICE,
        subject="Đăng ký",
        attachments=[("Đăng ký.docm", data, OCTET)],
    )
    outcome = mailroom.process(raw)
    # The checks do not turn the "macros" note into a problem yet: the form is read like a .docx.
    assert outcome.status in ("accepted", "needs_correction")
    [entry] = mailroom.submissions()
    assert entry["registrations"][0]["full_name"] == "Nguyễn Thị Hoa"


def test_a_reader_that_overruns_its_time_is_stopped_and_the_next_file_is_read():
    slow = WorkerLimits(timeout=0.01)
    with pytest.raises(UnreadableDocument) as refused:
        read_isolated("pdf", hostile.many_page_pdf(10_000), slow)
    assert refused.value.reason == "too_large"
    document = read_isolated("pdf", make_pdf(["GIẤY KHEN"]), WorkerLimits(timeout=10))
    assert document.paragraphs == ("GIẤY KHEN",)


def test_a_reader_that_runs_out_of_memory_is_refused_not_the_daemon():
    tight = WorkerLimits(memory_bytes=160 << 20, timeout=20)
    rows = [[f"ô {r}-{c}" for c in range(50)] for r in range(20_000)]
    from tests.support.builders import make_xlsx

    with pytest.raises(UnreadableDocument) as refused:
        read_isolated("xlsx", make_xlsx({"DS": rows}), tight)
    assert refused.value.reason in ("too_large", "corrupt")
    assert read_isolated("pdf", make_pdf(["GIẤY KHEN"]), tight).paragraphs == ("GIẤY KHEN",)


_MEASURE = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})

    def hwm():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024

    def main():
        from tests.support.bombs import CASES, mail
        from tests.support.office import Mailroom
        name, build, _ = CASES[sys.argv[1]]
        raw = mail(name, build())
        room = Mailroom(Path(sys.argv[2]))
        room.process(b"From: warm@up\\r\\n\\r\\nx", key="warm")  # imports, database, worker
        before = hwm()
        started = time.monotonic()
        outcome = room.process(raw)
        print(json.dumps({{"status": outcome.status, "seconds": time.monotonic() - started,
                          "before": before, "after": hwm()}}))

    if __name__ == "__main__":
        main()
""")


@pytest.mark.parametrize("case", ["zip bomb", "10,000-page pdf", "nested zips", "7z bomb"])
def test_bombs_do_not_grow_the_daemon_memory(tmp_path, case):
    script = tmp_path / "measure.py"
    script.write_text(_MEASURE.format(root=str(ROOT)), encoding="utf-8")
    (tmp_path / "office").mkdir()
    done = subprocess.run(
        [sys.executable, str(script), case, str(tmp_path / "office")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == "needs_correction"
    assert result["seconds"] < SECONDS
    assert result["after"] - result["before"] < 300, result


def test_a_large_pdf_is_probed_from_a_private_file_that_is_removed_afterwards(monkeypatch, tmp_path):
    from thidua.parsers import isolation

    monkeypatch.setattr(isolation, "SPOOL_BYTES", 1)  # every PDF counts as large
    monkeypatch.setattr(isolation.tempfile, "tempdir", str(tmp_path))
    spooled_modes = []
    real_spooled = isolation._spooled

    @contextlib.contextmanager
    def watched(data):
        with real_spooled(data) as path:
            spooled_modes.append(os.stat(path).st_mode & 0o777)
            yield path

    monkeypatch.setattr(isolation, "_spooled", watched)
    assert read_isolated("pdf_probe", make_pdf(["GIẤY KHEN"] * 3 + ["\f", "Trang 2"])).pages >= 1
    with pytest.raises(UnreadableDocument) as locked:
        read_isolated("pdf_probe", make_pdf(["GIẤY KHEN"], password="matkhau"))
    assert locked.value.reason == "encrypted"
    with pytest.raises(UnreadableDocument) as broken:
        read_isolated("pdf_probe", hostile.truncated_pdf())
    assert broken.value.reason == "corrupt"
    assert spooled_modes == [0o600] * 3
    assert list(tmp_path.iterdir()) == []  # nothing left behind, whatever the outcome
