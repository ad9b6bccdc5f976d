"""Sample papers for the writers' tests, and their LibreOffice conversions to PDF."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.reports import official_list, results_report
from thidua.reports.official_list import write_official_list
from thidua.reports.results_report import write_results_report


@dataclass(frozen=True)
class Papers:
    list_docx: Path
    list_xlsx: Path
    report_docx: Path
    report_xlsx: Path


@pytest.fixture(scope="module")
def papers(tmp_path_factory) -> Papers:
    folder = tmp_path_factory.mktemp("papers")
    return Papers(
        list_docx=write_official_list(official_list(), folder / "danh-sach.docx"),
        list_xlsx=write_official_list(official_list(), folder / "danh-sach-bang.xlsx"),
        report_docx=write_results_report(results_report(), folder / "bao-cao.docx"),
        report_xlsx=write_results_report(results_report(), folder / "bao-cao-bang.xlsx"),
    )


def soffice() -> str:
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return program


@pytest.fixture(scope="module")
def pdfs(papers, tmp_path_factory) -> dict[str, Path]:
    """The four papers converted by LibreOffice (one run, a private profile), by file stem."""
    program = soffice()
    folder = tmp_path_factory.mktemp("pdf")
    sources = [papers.list_docx, papers.list_xlsx, papers.report_docx, papers.report_xlsx]
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return {source.stem: folder / f"{source.stem}.pdf" for source in sources}
