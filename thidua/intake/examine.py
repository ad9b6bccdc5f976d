"""From a mail's files to findings: read each document, recognise it, note what failed.

Pure apart from CPU: no database, no mailbox. The flow stores the bytes and files the result.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from thidua.checks.context import DocumentFinding
from thidua.checks.evidence import evidence_files
from thidua.parsers.archive import ArchiveLimits, CollectedFiles, collect_files
from thidua.parsers.content import UnreadableDocument
from thidua.parsers.documents import read_document
from thidua.parsers.forms import understand
from thidua.parsers.mail import FileItem, ParsedMail

ARCHIVES = frozenset({"zip", "rar", "7z", "gzip"})
IMAGES = frozenset({"jpeg", "png", "gif", "tiff", "bmp", "webp", "heic"})


@dataclass(frozen=True)
class Examined:
    findings: tuple[DocumentFinding, ...]
    files: tuple[FileItem, ...]  # every file received, aligned with findings
    archive_containers: tuple[FileItem, ...]  # archives that were opened (kept, not listed as documents)


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
        # A scan or photo: evidence by nature; the rules decide whether an editable copy is missing.
        return replace(base, kind="evidence", understood=understood, failure="scan")
    return replace(base, kind=understood.kind, understood=understood)


def examine(mail: ParsedMail, *, max_attachment_bytes: int, limits: ArchiveLimits | None = None) -> Examined:
    collected: CollectedFiles = collect_files(mail.attachments, limits or ArchiveLimits())
    # An archive that cannot be opened at all is most often a damaged Word/Excel file
    # (both are zips inside): tell the school the file is damaged, once.
    broken = {i.container: i for i in collected.issues if not i.member and i.reason == "corrupt"}
    findings: list[DocumentFinding] = []
    files: list[FileItem] = []
    containers: list[FileItem] = []
    opened = {item.container for item in collected.files if item.container}
    for item in collected.files:
        size = item.size or len(item.data)
        if item.detected in ARCHIVES and not item.container and item.name in opened:
            containers.append(item)
            continue
        if not item.container and item.name in broken:
            issue = broken[item.name]
            findings.append(DocumentFinding(item.name, item.detected, size, "unknown", failure="corrupt", detail=issue.detail))
        elif item.detected in ARCHIVES and item.detected != "zip" and not item.container:
            findings.append(DocumentFinding(item.name, item.detected, size, "unknown", failure="unsupported", detail=item.detected))
        else:
            findings.append(examine_file(item, max_attachment_bytes))
        files.append(item)
    for issue in collected.issues:
        if not issue.member and issue.container in broken:
            continue
        label = f"{issue.container}/{issue.member}" if issue.member else issue.container
        failure = "encrypted" if issue.reason == "encrypted" else "archive_limit"
        findings.append(DocumentFinding(label, "zip", 0, "unknown", failure=failure, detail=f"{issue.reason}: {issue.detail}"))
        files.append(FileItem(name=label, data=b"", detected="zip", container=issue.container, size=0))
    return Examined(tuple(_mark_evidence(findings)), tuple(files), tuple(containers))


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
