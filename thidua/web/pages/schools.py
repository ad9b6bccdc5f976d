"""Schools and their addresses: the list for everyone; add, edit and import for an admin."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from thidua.desk import actions, queries
from thidua.desk.actor import DeskError, NotFound
from thidua.web import auth
from thidua.web.pages.common import (
    ALL_ROLES,
    SCHOOL_EDITORS,
    actor,
    db_session,
    may,
    office_code,
    render,
    see_other,
    service,
)
from thidua.web.pages.login import safe_next

router = APIRouter()
MAX_IMPORT_BYTES = 5 * 1024 * 1024  # a registry of a few thousand schools is well under this


def _addresses(text: str) -> list[str]:
    return [
        part.strip()
        for part in (text or "").replace(",", "\n").replace(";", "\n").splitlines()
        if part.strip()
    ]


def _school_list(
    request: Request,
    user,
    *,
    form_error: str = "",
    form_name: str = "",
    form_addresses: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    with db_session(request) as session:
        schools = queries.schools(session, office_code(request))
    return render(
        request,
        "desk/schools.html",
        user=user,
        section="schools",
        title="Trường và địa chỉ thư",
        schools=schools,
        can_edit=may(user, SCHOOL_EDITORS),
        form_action="/schools",
        form_button="Thêm trường",
        form_error=form_error,
        form_name=form_name,
        form_addresses=form_addresses,
        status_code=status_code,
    )


def _edit_page(
    request: Request,
    user,
    school_id: int,
    *,
    name: str,
    addresses: str,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "desk/school_edit.html",
        user=user,
        section="schools",
        title=name or "Sửa trường",
        form_action=f"/schools/{school_id}",
        form_button="Lưu",
        form_error=error,
        form_name=name,
        form_addresses=addresses,
        status_code=status_code,
    )


def _missing(request: Request, user, message: str = "Không có trường này.") -> HTMLResponse:
    return render(
        request, "desk/error.html", user=user, status_code=404, title="Không tìm thấy trường", message=message
    )


@router.get("/schools", response_class=HTMLResponse)
def school_list(request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    return _school_list(request, user)


@router.post("/schools")
def add_school(
    request: Request,
    name: str = Form(""),
    addresses: str = Form(""),
    user=Depends(auth.page_user(*SCHOOL_EDITORS)),
):
    try:
        with db_session(request) as session:
            actions.save_school(
                session, service(request).settings, actor(user), None, name, _addresses(addresses)
            )
    except DeskError as exc:
        return _school_list(
            request, user, form_error=str(exc), form_name=name, form_addresses=addresses, status_code=422
        )
    return see_other("/schools", done="school_saved")


@router.get("/schools/{school_id:int}", response_class=HTMLResponse)
def edit_school_page(school_id: int, request: Request, user=Depends(auth.page_user(*SCHOOL_EDITORS))):
    with db_session(request) as session:
        school = next((s for s in queries.schools(session, office_code(request)) if s.id == school_id), None)
    if school is None:
        return _missing(request, user)
    return _edit_page(request, user, school_id, name=school.name, addresses="\n".join(school.addresses))


@router.post("/schools/import")
async def import_schools(
    request: Request, file: UploadFile = File(...), user=Depends(auth.page_user(*SCHOOL_EDITORS))
):
    data = await file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        return _school_list(
            request, user, form_error="Tệp danh sách trường quá lớn (tối đa 5 MB).", status_code=422
        )
    try:
        with db_session(request) as session:
            actions.import_schools(session, service(request).settings, actor(user), file.filename or "", data)
    except DeskError as exc:
        return _school_list(request, user, form_error=str(exc), status_code=422)
    return see_other("/schools", done="imported")


@router.post("/schools/{school_id:int}")
def save_school(
    school_id: int,
    request: Request,
    name: str = Form(""),
    addresses: str = Form(""),
    user=Depends(auth.page_user(*SCHOOL_EDITORS)),
):
    try:
        with db_session(request) as session:
            actions.save_school(
                session, service(request).settings, actor(user), school_id, name, _addresses(addresses)
            )
    except NotFound:
        return _missing(request, user)
    except DeskError as exc:
        return _edit_page(
            request, user, school_id, name=name, addresses=addresses, error=str(exc), status_code=422
        )
    return see_other("/schools", done="school_saved")


@router.post("/schools/add-address")
def add_address(
    request: Request,
    school_id: int = Form(0),
    address: str = Form(""),
    back: str = Form("/schools"),
    user=Depends(auth.page_user(*SCHOOL_EDITORS)),
):
    """An address a school wrote from that is not registered yet, added from the submission page."""
    back = safe_next(back)
    with db_session(request) as session:
        school = next((s for s in queries.schools(session, office_code(request)) if s.id == school_id), None)
    if school is None:
        return _missing(request, user)
    try:
        with db_session(request) as session:
            actions.save_school(
                session,
                service(request).settings,
                actor(user),
                school_id,
                school.name,
                [*school.addresses, address],
            )
    except DeskError as exc:
        return render(
            request,
            "desk/error.html",
            user=user,
            status_code=422,
            title="Không thêm được địa chỉ",
            message=str(exc),
        )
    return see_other(back.split("?", 1)[0], done="address_added")
