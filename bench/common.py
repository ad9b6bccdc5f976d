"""Shared pieces: result rows, the machine line, timing, temporary offices and realistic mail."""

from __future__ import annotations

import io
import os
import platform
import random
import statistics
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

VN = timezone(timedelta(hours=7))
# Inside the rounds of tests/intake/conftest.CAMPAIGN, so that lateness is not what is measured.
REGISTRATION_ARRIVAL = datetime(2017, 10, 2, 9, 0, tzinfo=VN)
NOMINATION_ARRIVAL = datetime(2018, 3, 10, 9, 0, tzinfo=VN)
SCHOOL_COUNT = 40
# One school sends several mails in a burst; the daily reply cap must not hide the reply cost.
OFFICE_EXTRA = "max_replies_per_day = 100000"


@dataclass
class Row:
    measure: str
    result: str
    target: str = ""
    baseline: str = ""
    verdict: str = ""  # "PASS", "MISS", "info", "SKIP", "ERROR"
    note: str = ""


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {ram:.1f} GiB RAM, Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.system()} {platform.release()}"
    )


def speed_reference() -> float:
    """Milliseconds for a fixed pure-Python workload, the median of five: how fast this (shared,
    virtual) machine is at the moment, so that runs on different days can be compared."""

    def work() -> None:
        total = 0
        for i in range(1_000_000):
            total += i * i % 7
        sorted(str(i * 7919 % 100_003) for i in range(100_000))

    return median_time(work, runs=5) * 1000


def median_time(fn, runs: int, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` in seconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# -- offices ---------------------------------------------------------------------------------------


def schools() -> list[tuple[str, list[str]]]:
    from tests.support.office import SCHOOLS

    return list(SCHOOLS) + [
        (f"Trường Tiểu học Số {i}", [f"th{i}@example.vn"]) for i in range(1, SCHOOL_COUNT + 1)
    ]


def make_office(
    root: Path,
    *,
    mailbox: str = 'kind = "maildir"',
    outgoing: str = 'kind = "directory"',
    database: str | None = None,
    storage: Path | None = None,
):
    """A thidua installation in ``root`` (tests.support.live.Office), with the bench's schools."""
    from tests.support.live import Office
    from thidua.store.schools import import_schools

    extra = OFFICE_EXTRA
    if database:  # Office writes [mailbox]/[outgoing] after office_extra: sections go at the end
        outgoing += f'\n[database]\nurl = "{database}"'
    if storage:
        outgoing += f'\n[storage]\npath = "{storage}"'
    office = Office(root, mailbox=mailbox, outgoing=outgoing, office_extra=extra)
    with office.app.db.session() as session:
        import_schools(session, schools())
    return office


# -- realistic mail ------------------------------------------------------------------------------------

OCTET = "application/octet-stream"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"

_PHOTOS: dict[tuple[int, bool], bytes] = {}


def photo(size: int, tag: str, *, scene: bool = False) -> bytes:
    """A JPEG of about ``size`` bytes, unique per ``tag``: a phone photo of a certificate, or with
    ``scene`` of an activity (people in a yard: patches of colour).

    Noise does not compress, so the size is honest; the tag goes after the end-of-image marker
    (as cameras append data) so that each mail's evidence is a different file."""
    base = _PHOTOS.get((size, scene))
    if base is None:
        from PIL import Image

        rng = random.Random(size)
        side = 64
        data = b""
        while len(data) < size:
            side = int(side * 1.12) + 8
            image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
            if scene:
                patches = Image.frombytes("RGB", (12, 12), rng.randbytes(12 * 12 * 3)).resize((side, side))
                image = Image.blend(patches, image, 0.35)
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=85)
            data = buffer.getvalue()
        _PHOTOS[(size, scene)] = base = data
    return base + b"\0thidua-bench:" + tag.encode()


def _certificate(who: str) -> bytes:
    from tests.support.builders import make_pdf

    return make_pdf(
        [
            "GIẤY KHEN",
            f"Tặng {who}",
            "Đã có thành tích xuất sắc trong phong trào thi đua",
            "“Đổi mới, sáng tạo trong dạy và học”",
        ]
    )


_NAMES = [
    "Nguyễn Thị Hoa",
    "Trần Văn Minh",
    "Lê Thị Lan",
    "Phạm Quốc Huy",
    "Hoàng Thị Mai",
    "Võ Văn Tâm",
    "Đặng Thị Thu",
    "Bùi Văn Nam",
    "Đỗ Thị Hằng",
    "Ngô Văn Long",
]


def _sender(i: int) -> tuple[str, str]:
    k = i % SCHOOL_COUNT + 1
    return f"Trường Tiểu học Số {k}", f"th{k}@example.vn"


def registration_mail(i: int) -> bytes:
    from tests.support.builders import REGISTRATION_EXAMPLE, make_eml, registration_docx
    from tests.support.office import OFFICE

    school, address = _sender(i)
    values = dict(REGISTRATION_EXAMPLE, school=school, full_name=f"{_NAMES[i % len(_NAMES)]} {i}")
    return make_eml(
        sender=address,
        to=OFFICE,
        subject=f"Đăng ký thực hiện nhiệm vụ đổi mới sáng tạo ({i})",
        body="Kính gửi Phòng GD&ĐT,\nTrường gửi bản đăng ký.\nTrân trọng.",
        attachments=[(f"Đăng ký {i}.docx", registration_docx(**values), DOCX)],
    )


def nomination_mail(i: int, nominees: int = 3, photo_bytes: int = 0) -> bytes:
    from tests.support.builders import make_eml, nomination_xlsx
    from tests.support.office import OFFICE

    school, address = _sender(i)
    rows, files = [], []
    for n in range(nominees):
        name = f"{_NAMES[(i + n) % len(_NAMES)]} {i}-{n}"
        evidence = f"Giấy khen {i}-{n}.pdf"
        rows.append(
            {
                "name": name,
                "category": "Giáo viên",
                "position": "Giáo viên Toán",
                "achievements": "Giải Nhất giáo viên dạy giỏi cấp huyện; 2 học sinh giỏi tỉnh.",
                "evidence": [evidence],
                "award": "Giấy khen",
            }
        )
        files.append((evidence, _certificate(name), PDF))
    if photo_bytes:
        rows[0]["evidence"].append(f"Ảnh {i}.jpg")
        files.append((f"Ảnh {i}.jpg", photo(photo_bytes, f"{i}"), "image/jpeg"))
    return make_eml(
        sender=address,
        to=OFFICE,
        subject=f"Danh sách đề nghị khen thưởng quý I ({i})",
        body="Kính gửi Phòng GD&ĐT,\nTrường gửi danh sách và minh chứng.",
        attachments=[
            ("Danh sách đề nghị khen thưởng.xlsx", nomination_xlsx(rows, school=school.upper()), OCTET),
            *files,
        ],
    )


def report_pdf(pages: int, i: int = 0) -> bytes:
    from tests.support.builders import make_pdf

    lines = [
        "BÁO CÁO KẾT QUẢ THỰC HIỆN PHONG TRÀO THI ĐUA",
        "“ĐỔI MỚI, SÁNG TẠO TRONG DẠY VÀ HỌC”",
        f"Năm học 2017 – 2018 (bản {i})",
        "",
    ]
    paragraph = (
        "Trong năm học, nhà trường đã triển khai các giải pháp đổi mới phương pháp dạy học, "
        "tổ chức sinh hoạt chuyên môn theo nghiên cứu bài học, ứng dụng công nghệ thông tin "
        "trong giảng dạy và kiểm tra đánh giá; kết quả học tập của học sinh được nâng lên rõ rệt."
    )
    # about 33 such paragraphs fill an A4 page at 11 pt
    for p in range(pages * 11):
        lines.append(f"{p + 1}. {paragraph}")
    return make_pdf(lines)


def report_mail(i: int, pages: int = 3, photo_bytes: int = 0) -> bytes:
    from tests.support.builders import make_eml
    from tests.support.office import OFFICE

    school, address = _sender(i)
    attachments = [(f"Báo cáo kết quả {i}.pdf", report_pdf(pages, i), PDF)]
    if photo_bytes:
        attachments.append(
            (f"Hình ảnh hoạt động {i}.jpg", photo(photo_bytes, f"r{i}", scene=True), "image/jpeg")
        )
    return make_eml(
        sender=address,
        to=OFFICE,
        subject=f"Báo cáo kết quả phong trào ({i})",
        body="Kính gửi Phòng GD&ĐT,\nTrường gửi báo cáo.",
        attachments=attachments,
    )


# Photo sizes that, with the documents, give mails of about 50 KB … 5 MB (base64 adds a third).
_LARGE = [0, 0, 0, 0, 150_000, 400_000, 900_000, 1_800_000, 3_000_000]


def burst_mails(count: int, seed: int = 7) -> list[tuple[bytes, datetime]]:
    """A realistic mixed burst: 35% registrations, 45% nomination lists with evidence, 20% reports."""
    rng = random.Random(seed)
    mails = []
    for i in range(count):
        roll = rng.random()
        extra = rng.choice(_LARGE)
        if roll < 0.35:
            mails.append((registration_mail(i), REGISTRATION_ARRIVAL))
        elif roll < 0.80:
            mails.append(
                (nomination_mail(i, nominees=rng.randint(1, 4), photo_bytes=extra), NOMINATION_ARRIVAL)
            )
        else:
            mails.append((report_mail(i, pages=rng.randint(1, 4), photo_bytes=extra), NOMINATION_ARRIVAL))
    return mails


def size_summary(mails: list[tuple[bytes, datetime]]) -> str:
    sizes = [len(raw) for raw, _ in mails]
    return f"{len(sizes)} mails, {min(sizes) / 1e3:.0f} KB–{max(sizes) / 1e6:.1f} MB, {sum(sizes) / 1e6:.0f} MB total"
