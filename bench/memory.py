"""Peak memory of `thidua process` on one large mail, and time per mail as the database grows."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.common import NOMINATION_ARRIVAL, PDF, Row, make_office, nomination_mail, photo, verdict

RSS_TARGET_MB = 200
GROWTH_TARGET = 1.25  # "flat": per-mail time at 10,000 at most 25% above that at 1,000

# Runs `thidua process` as its child and prints the child's own peak RSS (getrusage) and the peak,
# sampled from /proc, of the whole process tree: the document readers run in worker processes
# forked from a fork server, and the pages they share with it count once in PSS (proportional
# set size), while a sum of RSS counts them in every process.
_WRAPPER = r"""
import json, os, resource, subprocess, sys, time

def tree(root):
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(name))
            except (OSError, ValueError, IndexError):
                pass
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, ()))
    return pids

def kb(path, field):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
peak_rss = peak_pss = 0
while process.poll() is None:
    pids = tree(process.pid)
    peak_rss = max(peak_rss, sum(kb(f"/proc/{pid}/status", "VmRSS:") for pid in pids))
    peak_pss = max(peak_pss, sum(kb(f"/proc/{pid}/smaps_rollup", "Pss:") for pid in pids))
    time.sleep(0.01)
err = process.stderr.read().decode(errors="replace")
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": process.returncode, "maxrss_kb": usage.ru_maxrss, "tree_kb": peak_rss,
                  "tree_pss_kb": peak_pss, "err": err[-800:]}))
"""


def scanned_pdf(size: int) -> bytes:
    """A PDF of photographed pages (JPEG passed through as is), about ``size`` bytes: evidence as scanned."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pages = 5
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    with tempfile.TemporaryDirectory() as tmp:
        for page in range(pages):
            # from a .jpg file reportlab embeds the JPEG as is (from memory it would re-encode it)
            path = Path(tmp) / f"{page}.jpg"
            path.write_bytes(photo(int(size * 0.76) // pages, f"scan{page}"))
            pdf.drawImage(str(path), 0, 0, width=A4[0], height=A4[1])
            pdf.showPage()
        pdf.save()
    return buffer.getvalue()


def big_mail(size: int) -> tuple[bytes, int]:
    from tests.support.builders import make_eml, nomination_xlsx
    from tests.support.office import OFFICE

    pdf = scanned_pdf(size)
    rows = [
        {
            "name": "Nguyễn Thị Hoa",
            "category": "Giáo viên",
            "position": "Giáo viên Toán",
            "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện; 2 học sinh giỏi tỉnh.",
            "evidence": ["Minh chứng scan.pdf"],
            "award": "Giấy khen",
        }
    ]
    return make_eml(
        sender="th1@example.vn",
        to=OFFICE,
        subject="Danh sách và minh chứng (bản scan)",
        attachments=[
            ("Danh sách.xlsx", nomination_xlsx(rows), "application/octet-stream"),
            ("Minh chứng scan.pdf", pdf, PDF),
        ],
    ), len(pdf)


def _process_rss(office, mail: Path) -> dict:
    command = [sys.executable, "-m", "thidua.cli", "--config", str(office.config), "process", str(mail)]
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=office.root,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise RuntimeError(f"thidua process failed ({result['code']}): {result['err']}")
    return result


def peak_rss(root: Path) -> list[Row]:
    office = make_office(root / "rss")
    small = root / "small.eml"
    small.write_bytes(nomination_mail(1, nominees=1))
    large = root / "large.eml"
    attachment = 20 * 1024 * 1024
    raw, attachment_size = big_mail(attachment)
    large.write_bytes(raw)
    base = _process_rss(office, small)
    big = _process_rss(office, large)
    pss = big["tree_pss_kb"] / 1024
    return [
        Row(
            "memory: peak PSS of the process tree, `thidua process` one mail with 20 MB PDF",
            f"{pss:.0f} MB",
            f"≤ {RSS_TARGET_MB} MB",
            f"small mail {base['tree_pss_kb'] / 1024:.0f} MB",
            verdict(pss <= RSS_TARGET_MB),
            f"PDF {attachment_size / 1e6:.1f} MB, mail {len(raw) / 1e6:.1f} MB; the daemon process alone peaked at "
            f"{big['maxrss_kb'] / 1024:.0f} MB RSS (small mail {base['maxrss_kb'] / 1024:.0f} MB); the tree's RSS "
            f"summed (shared pages counted in each process) {big['tree_kb'] / 1024:.0f} MB; sampled every 10 ms",
        )
    ]


def prefill(office, start: int, count: int) -> None:
    """``count`` small submissions filed straight through the repository, in one transaction.

    As the office keeps them (SPEC "One current list per school and round"): a school's earlier
    lists for the round are superseded, only its newest one of the batch stays current."""
    from sqlmodel import select

    from thidua.store.drafts import DocumentDraft, NomineeDraft, SubmissionDraft
    from thidua.store.models import School
    from thidua.store.submissions import file_submission

    with office.app.db.session() as session:
        school_ids = [s.id for s in session.exec(select(School)).all()]
        newest = start + count - len(school_ids)
        for i in range(start, start + count):
            key = hashlib.sha256(f"prefill-{i}".encode()).hexdigest()
            draft = SubmissionDraft(
                sender="th1@example.vn",
                school_id=school_ids[i % len(school_ids)],
                school_name="",
                subject=f"Danh sách {i}",
                message_id=f"<prefill-{i}@example.vn>",
                content_key=key,
                mail_sha256=key,
                received_at=NOMINATION_ARRIVAL - timedelta(minutes=i),
                round_id="q1-2018",
                status="accepted" if i >= newest else "superseded",
                documents=(DocumentDraft("Danh sách.xlsx", "", "nomination_list", "xlsx", key, 6000),),
                registrations=(),
                registration_labels=(),
                nominees=(
                    NomineeDraft(
                        1,
                        f"Giáo viên {i}",
                        "teacher",
                        "Giáo viên",
                        "Giải Nhất cấp huyện",
                        ("GK.pdf",),
                        "Giấy khen",
                    ),
                ),
                problems=(),
                source_key=f"prefill:{i}",
            )
            file_submission(session, draft, year=2018)


def growth(root: Path, quick: bool) -> list[Row]:
    from thidua.intake.sources import IncomingMail

    count = 20 if quick else 50
    office = make_office(root / "growth")
    app = office.app
    mails = [nomination_mail(5000 + i, nominees=2) for i in range(2 * count)]
    times = {}
    filled = 0
    fill_seconds = 0.0
    for level, batch in ((1_000, mails[:count]), (10_000, mails[count:])):
        start = time.perf_counter()
        prefill(office, filled, level - filled)
        fill_seconds += time.perf_counter() - start
        filled = level
        app.mailroom.process(IncomingMail(nomination_mail(9000 + level), NOMINATION_ARRIVAL, f"warm:{level}"))
        start = time.perf_counter()
        for n, raw in enumerate(batch):
            app.mailroom.process(IncomingMail(raw, NOMINATION_ARRIVAL, f"bench:{level}:{n}"))
        times[level] = (time.perf_counter() - start) / count
    ratio = times[10_000] / times[1_000]
    return [
        Row(
            "growth: time per mail, 1,000 → 10,000 submissions in DB",
            f"{times[1_000] * 1000:.0f} → {times[10_000] * 1000:.0f} ms/mail (×{ratio:.2f})",
            f"flat (≤ ×{GROWTH_TARGET})",
            "",
            verdict(ratio <= GROWTH_TARGET),
            f"SQLite; {count} nomination mails per level, filing only (no outbox); "
            f"pre-fill of 10,000 drafts took {fill_seconds:.1f} s",
        )
    ]


def run(quick: bool = False) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="thidua-bench-") as tmp:
        root = Path(tmp)
        return peak_rss(root) + growth(root, quick)
