"""Files a school sent, its original mail and our replies: shown inline or downloaded, safely.

Only blobs a submission names are served (never an arbitrary hash). A file is shown inline only
when our own detection of its bytes says PDF or a raster image, with that type and nosniff;
everything else is a download (``attachment``, application/octet-stream). The school's file name
goes into Content-Disposition reduced to its last path part, without control characters or quotes.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlmodel import select

from thidua.desk import queries
from thidua.desk.parked import parked_mail_bytes
from thidua.store.models import Reply, Submission
from thidua.web import auth
from thidua.web.pages.common import ALL_ROLES, db_session, office_code, render, service
from thidua.web.pages.detail import INLINE_TYPES

router = APIRouter()

_SHA256 = re.compile(r"[0-9a-f]{64}")
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._ ()+\-]+")
# A file shown inline runs nothing and loads nothing, whatever it holds.
INLINE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; sandbox"
PDF_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'"


def safe_filename(name: str, fallback: str = "tep") -> str:
    """The school's file name as a download name: last path part, no control characters, no quotes."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").replace('"', "'").strip(" .")
    return name[:200] or fallback


def content_disposition(kind: str, name: str) -> str:
    """RFC 6266: an ASCII fallback and the UTF-8 name (``filename*``) for Vietnamese file names."""
    name = safe_filename(name)
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = _UNSAFE_ASCII.sub("_", ascii_name.encode("ascii", "ignore").decode()).strip(" ._") or "tep"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def _file_headers(disposition: str, **more: str) -> dict[str, str]:
    return {
        "Content-Disposition": disposition,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
        **more,
    }


def download(data: bytes, name: str, media_type: str = "application/octet-stream") -> Response:
    return Response(
        data, media_type=media_type, headers=_file_headers(content_disposition("attachment", name))
    )


def _blob(request: Request, sha256: str) -> bytes | None:
    try:
        return service(request).blobs.get(sha256)
    except (FileNotFoundError, ValueError):
        return None


def _blob_file(request: Request, sha256: str) -> Path | None:
    """Where a school's file is kept: sent from disk in pieces (a 20 MB PDF is never held in memory)."""
    try:
        path = service(request).blobs.path(sha256)
    except ValueError:
        return None
    return path if path.is_file() else None


def _not_found(request: Request, user, message: str = "Không tìm thấy tệp này.") -> HTMLResponse:
    return render(
        request, "desk/error.html", user=user, status_code=404, title="Không tìm thấy", message=message
    )


def _document(request: Request, receipt: str, sha256: str):
    if not _SHA256.fullmatch(sha256):
        return None
    with db_session(request) as session:
        return queries.file_of_submission(session, office_code(request), receipt, sha256)


@router.get("/submissions/{receipt}/files/{sha256}", response_class=HTMLResponse)
def file_page(receipt: str, sha256: str, request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    document = _document(request, receipt, sha256)
    if document is None:
        return _not_found(request, user)
    base = f"/submissions/{quote(receipt)}/files/{sha256}"
    if document.detected not in INLINE_TYPES:
        return RedirectResponse(base + "/download", status_code=303)
    with db_session(request) as session:
        submission = session.get(Submission, document.submission_id)
        version = submission.version if submission else 1
    return render(
        request,
        "desk/file_view.html",
        user=user,
        section="submissions",
        title=document.filename,
        receipt=receipt,
        version=version,
        filename=document.filename,
        is_pdf=document.detected == "pdf",
        raw_url=base + "/raw",
        download_url=base + "/download",
    )


@router.get("/submissions/{receipt}/files/{sha256}/raw")
def file_inline(receipt: str, sha256: str, request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    document = _document(request, receipt, sha256)
    path = _blob_file(request, sha256) if document is not None else None
    if path is None:
        return _not_found(request, user)
    media_type = INLINE_TYPES.get(document.detected)
    if media_type is None:
        return _attachment(path, document.filename)
    policy = PDF_CSP if media_type == "application/pdf" else INLINE_CSP
    headers = _file_headers(
        content_disposition("inline", document.filename), **{"Content-Security-Policy": policy}
    )
    return FileResponse(path, media_type=media_type, headers=headers)


def _attachment(path: Path, name: str) -> FileResponse:
    return FileResponse(
        path,
        media_type="application/octet-stream",
        headers=_file_headers(content_disposition("attachment", name)),
    )


@router.get("/submissions/{receipt}/files/{sha256}/download")
def file_download(receipt: str, sha256: str, request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    document = _document(request, receipt, sha256)
    path = _blob_file(request, sha256) if document is not None else None
    if path is None:
        return _not_found(request, user)
    return _attachment(path, document.filename)


@router.get("/submissions/{receipt}/v{version}/mail.eml")
def original_mail(receipt: str, version: int, request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    with db_session(request) as session:
        sha256 = session.exec(
            select(Submission.mail_sha256).where(Submission.receipt == receipt, Submission.version == version)
        ).first()
    data = _blob(request, sha256) if sha256 else None
    if data is None:
        return _not_found(request, user, "Không tìm thấy thư gốc.")
    return download(data, f"{receipt}-lan-{version}.eml", "message/rfc822")


@router.get("/submissions/{receipt}/replies/{reply_id}.eml")
def reply_mail(receipt: str, reply_id: int, request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    with db_session(request) as session:
        sha256 = session.exec(
            select(Reply.eml_sha256)
            .join(Submission, Reply.submission_id == Submission.id)
            .where(Reply.id == reply_id, Submission.receipt == receipt)
        ).first()
    data = _blob(request, sha256) if sha256 else None
    if data is None:
        return _not_found(request, user, "Không tìm thấy thư trả lời.")
    return download(data, f"{receipt}-tra-loi-{reply_id}.eml", "message/rfc822")


@router.get("/review/{ledger_id}/mail.eml")
def parked_mail(ledger_id: int, request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    with db_session(request) as session:
        mail = queries.review_mail(session, office_code(request), ledger_id)
    data = parked_mail_bytes(service(request).settings, mail.source_key) if mail is not None else None
    if data is None:
        return _not_found(request, user, "Không tìm thấy thư này trong thư mục chờ xử lý.")
    return download(data, f"thu-cho-xu-ly-{ledger_id}.eml", "message/rfc822")
