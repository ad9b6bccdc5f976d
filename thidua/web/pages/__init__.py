"""The desk's HTML pages, in Vietnamese, readable without JavaScript (htmx only enhances)."""

from fastapi import APIRouter

from thidua.web.pages import (
    dashboard,
    decisions,
    evidence,
    exports,
    files,
    login,
    review,
    schools,
    selection,
    submissions,
)

router = APIRouter(include_in_schema=False)
for module in (
    login,
    dashboard,
    submissions,
    decisions,
    files,
    review,
    evidence,
    selection,
    schools,
    exports,
):
    router.include_router(module.router)
