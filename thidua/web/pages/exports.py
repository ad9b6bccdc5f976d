"""Exports and reports to download, per round (the files themselves come from the API)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from thidua.web import auth
from thidua.web.pages.common import ALL_ROLES, render, rounds

router = APIRouter()


@router.get("/exports", response_class=HTMLResponse)
def exports(request: Request, user=Depends(auth.page_user(*ALL_ROLES))):
    return render(
        request,
        "desk/exports.html",
        user=user,
        section="exports",
        title="Xuất dữ liệu",
        rounds=rounds(request),
    )
