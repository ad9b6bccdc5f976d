"""From a mail's files to findings: read each document, recognise it, note what failed.

Pure apart from CPU: no database, no mailbox. The flow stores the bytes and files the result.

Only what is needed is read, cheapest first, and the files of one step side by side in the
reader pool:

1. the forms: Word, Excel, text, and then the PDFs that no nominee names as its evidence;
2. files a nominee names as its evidence are kept, not read (a PDF is only checked to open:
   a school must hear that its certificate is damaged or locked);
3. scans and photos nobody names are read by OCR, which tells a form (or a form's signed copy)
   from evidence; photos that do not show a sheet of paper are not read at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache

from thidua.checks.context import DocumentFinding
from thidua.checks.evidence import evidence_files
from thidua.intake.signed_copies import mark_signed_copies
from thidua.parsers.archive import ArchiveLimits, CollectedFiles, collect_files, display_path
from thidua.parsers.containers import CONTAINER_TYPES
from thidua.parsers.content import DocumentText, Paragraph, Table, UnreadableDocument
from thidua.parsers.documents import IMAGE_TYPES, check_opens, read_form, read_scan
from thidua.parsers.isolation import parallel_reads
from thidua.parsers.mail import FileItem, ParsedMail


@dataclass(frozen=True)
class Examined:
    findings: tuple[DocumentFinding, ...]
    files: tuple[FileItem, ...]  # every file received, aligned with findings
    archive_containers: tuple[
        FileItem, ...
    ]  # archives and mails that were opened (kept, not listed as documents)


@dataclass(frozen=True)
class _Read:
    finding: DocumentFinding
    scan: DocumentText | None = None  # the scan's text before OCR, for a scan OCR may read


def examine_file(item: FileItem, max_bytes: int) -> DocumentFinding:
    """One file read as if nothing named it as evidence: forms recognised, scans read by OCR."""
    read = _read_file(item, max_bytes)
    return _ocr(item, read.finding, read.scan) if read.scan is not None else read.finding


def examine(mail: ParsedMail, *, max_attachment_bytes: int, limits: ArchiveLimits | None = None) -> Examined:
    collected: CollectedFiles = collect_files(mail.attachments, limits or ArchiveLimits())
    # A container that cannot be opened as a whole is told once, under its own name: a broken
    # "zip" is most often a damaged Word/Excel file (both are zips inside).
    whole = {issue.container: issue for issue in collected.issues if not issue.member}
    opened = set(collected.opened)
    detected = {display_path(item): item.detected for item in collected.files}
    findings: list[DocumentFinding | None] = []
    files: list[FileItem] = []
    containers: list[FileItem] = []
    for item in collected.files:
        path, size = display_path(item), item.size or len(item.data)
        if path in whole:
            issue = whole[path]
            findings.append(
                DocumentFinding(
                    path,
                    item.detected,
                    size,
                    "unknown",
                    failure=_failure(issue.reason),
                    detail=f"{issue.reason}: {issue.detail}",
                )
            )
        elif path in opened:
            containers.append(
                item
            )  # kept; what it holds is listed instead (an empty winmail.dat is no document)
            continue
        elif item.detected in CONTAINER_TYPES:
            # not opened: an archive inside an archive, or deeper than the limits allow
            findings.append(
                DocumentFinding(
                    path, item.detected, size, "unknown", failure="archive_limit", detail="nested: not opened"
                )
            )
        else:
            findings.append(None)  # read below
        files.append(item)
    for issue in collected.issues:
        if issue.member:
            label = f"{issue.container}/{issue.member}"
            kind = detected.get(issue.container, "zip")
            findings.append(
                DocumentFinding(
                    label,
                    kind,
                    0,
                    "unknown",
                    failure=_failure(issue.reason, member=True),
                    detail=f"{issue.reason}: {issue.detail}",
                )
            )
            files.append(FileItem(name=label, data=b"", detected=kind, container=issue.container, size=0))
    _read_documents(findings, files, max_attachment_bytes)
    done = [finding for finding in findings if finding is not None]
    return Examined(tuple(mark_signed_copies(_mark_evidence(done))), tuple(files), tuple(containers))


def _read_documents(
    findings: list[DocumentFinding | None], files: Sequence[FileItem], max_bytes: int
) -> None:
    """Fill the unread places of ``findings`` (aligned with ``files``) in the order of the module's steps."""
    unread = [index for index, finding in enumerate(findings) if finding is None]
    names = [
        finding.name if finding is not None else files[index].name for index, finding in enumerate(findings)
    ]
    scans: dict[int, DocumentText] = {}

    def read(indexes: list[int]) -> None:
        for index, result in zip(indexes, _side_by_side(lambda i: _read_file(files[i], max_bytes), indexes)):
            findings[index] = result.finding
            if result.scan is not None:
                scans[index] = result.scan

    read([i for i in unread if files[i].detected not in IMAGE_TYPES and files[i].detected != "pdf"])
    named = _named_evidence(findings, names)
    read([i for i in unread if files[i].detected == "pdf" and names[i] not in named])
    named = _named_evidence(findings, names)
    read([i for i in unread if findings[i] is None and names[i] not in named])  # pictures: no work yet
    kept = [i for i in unread if findings[i] is None]  # named evidence: PDFs and pictures
    for index, finding in zip(kept, _side_by_side(lambda i: _kept_evidence(files[i], max_bytes), kept)):
        findings[index] = finding
    for index, scan in scans.items():  # one at a time: OCR has a single worker, and seconds per page
        if names[index] not in named:
            findings[index] = _ocr(files[index], findings[index], scan)


def _read_file(item: FileItem, max_bytes: int) -> _Read:
    base = DocumentFinding(
        name=item.name, detected=item.detected, size=item.size or len(item.data), kind="unknown"
    )
    if base.size > max_bytes:
        return _Read(replace(base, failure="too_large"))
    try:
        reading = read_form(item)
    except UnreadableDocument as exc:
        return _Read(replace(base, failure=exc.reason, detail=exc.detail))
    if reading.text.is_scan:
        # A scan or photo: evidence by nature, even when OCR reads what it is (``understood``,
        # marked ``ocr``): misread letters must not be filed as the school's data. The rules
        # decide whether an editable copy is missing; signed_copies whether it is one's signed copy.
        return _Read(
            replace(base, kind="evidence", understood=reading.understood, failure="scan"), reading.text
        )
    return _Read(
        replace(base, kind=reading.understood.kind, understood=reading.understood, shape=_shape(reading.text))
    )


def _shape(text: DocumentText) -> str:
    """What a document read looks like: "table" when it holds a table of a few rows, else "text",
    or "empty" when there is nothing to read."""
    if any(
        isinstance(block, Table) and sum(1 for row in block.rows if any((c or "").strip() for c in row)) >= 2
        for block in text.blocks
    ):
        return "table"
    if any(isinstance(block, (Paragraph, Table)) and _has_words(block) for block in text.blocks):
        return "text"
    return "empty"


def _has_words(block) -> bool:
    if isinstance(block, Paragraph):
        return bool(block.text.strip())
    return any((cell or "").strip() for row in block.rows for cell in row)


def _ocr(item: FileItem, finding: DocumentFinding, scan: DocumentText) -> DocumentFinding:
    return replace(finding, understood=read_scan(item, scan).understood)


def _kept_evidence(item: FileItem, max_bytes: int) -> DocumentFinding:
    """A file a nominee names as its evidence: stored as it is, only checked to open."""
    size = item.size or len(item.data)
    base = DocumentFinding(name=item.name, detected=item.detected, size=size, kind="evidence")
    if size > max_bytes:
        return replace(base, kind="unknown", failure="too_large")
    try:
        check_opens(item)
    except UnreadableDocument as exc:
        return replace(base, kind="unknown", failure=exc.reason, detail=exc.detail)
    return replace(base, failure="scan") if item.detected in IMAGE_TYPES else base


def _named_evidence(findings: Sequence[DocumentFinding | None], names: Sequence[str]) -> set[str]:
    nominees = [n for f in findings if f is not None and f.understood for n in f.understood.nominees]
    return evidence_files(nominees, names) if nominees else set()


def _side_by_side(work: Callable[[int], object], indexes: list[int]) -> Iterable:
    """``work`` over ``indexes`` in order, as many at once as the reader pool reads."""
    if len(indexes) < 2:
        return map(work, indexes)
    return _executor().map(work, indexes)


@lru_cache(maxsize=1)
def _executor() -> ThreadPoolExecutor:
    # Threads only wait here: the reading happens in the pool's processes.
    return ThreadPoolExecutor(max_workers=parallel_reads(), thread_name_prefix="thidua-read")


def _failure(reason: str, *, member: bool = False) -> str:
    if reason == "encrypted":
        return "encrypted"
    if reason == "corrupt" and not member:
        return "corrupt"
    return "archive_limit"


def _mark_evidence(findings: list[DocumentFinding]) -> list[DocumentFinding]:
    """Files that a nominee names as its evidence are evidence, whatever their content."""
    nominees = [n for f in findings if f.understood for n in f.understood.nominees]
    if not nominees:
        return findings
    referenced = evidence_files(nominees, [f.name for f in findings])
    return [
        replace(f, kind="evidence")
        if f.name in referenced and f.kind in ("unknown", "report") and not f.failure
        else f
        for f in findings
    ]
