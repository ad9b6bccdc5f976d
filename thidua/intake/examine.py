"""From a mail's files to findings: read each document, recognise it, note what failed.

Pure apart from CPU: no database, no mailbox. The flow stores the bytes and files the result.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from thidua.checks.context import DocumentFinding
from thidua.checks.evidence import evidence_files
from thidua.intake.signed_copies import mark_signed_copies
from thidua.parsers.archive import ArchiveLimits, CollectedFiles, collect_files, display_path
from thidua.parsers.containers import CONTAINER_TYPES
from thidua.parsers.content import UnreadableDocument
from thidua.parsers.documents import read_document
from thidua.parsers.forms import understand
from thidua.parsers.mail import FileItem, ParsedMail


@dataclass(frozen=True)
class Examined:
    findings: tuple[DocumentFinding, ...]
    files: tuple[FileItem, ...]  # every file received, aligned with findings
    archive_containers: tuple[FileItem, ...]  # archives and mails that were opened (kept, not listed as documents)


def examine_file(item: FileItem, max_bytes: int) -> DocumentFinding:
    base = DocumentFinding(name=item.name, detected=item.detected, size=item.size or len(item.data), kind="unknown")
    if base.size > max_bytes:
        return replace(base, failure="too_large")
    try:
        text = read_document(item)
    except UnreadableDocument as exc:
        return replace(base, failure=exc.reason, detail=exc.detail)
    understood = understand(text, item.name)
    if text.is_scan:
        # A scan or photo: evidence by nature, even when OCR read what it is (``understood``,
        # marked ``ocr``): misread letters must not be filed as the school's data. The rules
        # decide whether an editable copy is missing; signed_copies whether it is one's signed copy.
        return replace(base, kind="evidence", understood=understood, failure="scan")
    return replace(base, kind=understood.kind, understood=understood)


def examine(mail: ParsedMail, *, max_attachment_bytes: int, limits: ArchiveLimits | None = None) -> Examined:
    collected: CollectedFiles = collect_files(mail.attachments, limits or ArchiveLimits())
    # A container that cannot be opened as a whole is told once, under its own name: a broken
    # "zip" is most often a damaged Word/Excel file (both are zips inside).
    whole = {issue.container: issue for issue in collected.issues if not issue.member}
    opened = set(collected.opened)
    detected = {display_path(item): item.detected for item in collected.files}
    findings: list[DocumentFinding] = []
    files: list[FileItem] = []
    containers: list[FileItem] = []
    for item in collected.files:
        path, size = display_path(item), item.size or len(item.data)
        if path in whole:
            issue = whole[path]
            findings.append(DocumentFinding(path, item.detected, size, "unknown", failure=_failure(issue.reason),
                                            detail=f"{issue.reason}: {issue.detail}"))
        elif path in opened:
            containers.append(item)  # kept; what it holds is listed instead (an empty winmail.dat is no document)
            continue
        elif item.detected in CONTAINER_TYPES:
            # not opened: an archive inside an archive, or deeper than the limits allow
            findings.append(DocumentFinding(path, item.detected, size, "unknown", failure="archive_limit",
                                            detail="nested: not opened"))
        else:
            findings.append(examine_file(item, max_attachment_bytes))
        files.append(item)
    for issue in collected.issues:
        if issue.member:
            label = f"{issue.container}/{issue.member}"
            kind = detected.get(issue.container, "zip")
            findings.append(DocumentFinding(label, kind, 0, "unknown", failure=_failure(issue.reason, member=True),
                                            detail=f"{issue.reason}: {issue.detail}"))
            files.append(FileItem(name=label, data=b"", detected=kind, container=issue.container, size=0))
    return Examined(tuple(mark_signed_copies(_mark_evidence(findings))), tuple(files), tuple(containers))


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
        replace(f, kind="evidence") if f.name in referenced and f.kind in ("unknown", "report") and not f.failure else f
        for f in findings
    ]
