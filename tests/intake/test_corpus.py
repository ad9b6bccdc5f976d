"""Public real-world odd files (the corpus kept beside the repository) through the whole
pipeline: each reaches a clear outcome — filed with a status, answered or deliberately not —
never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.builders import make_eml
from tests.support.office import OFFICE

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
MAILS = sorted((CORPUS / "mail").glob("*.eml")) if CORPUS.exists() else []
PDFS = sorted((CORPUS / "pdf").glob("*.pdf")) if CORPUS.exists() else []

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="shared/corpus is not beside the repository")


@pytest.mark.parametrize("path", MAILS, ids=lambda p: p.name)
def test_every_corpus_mail_is_filed_with_a_clear_status(mailroom, path):
    outcome = mailroom.process(path.read_bytes(), key=f"corpus:{path.name}")
    assert outcome.status in ("accepted", "needs_correction", "rejected"), outcome.error
    [entry] = mailroom.submissions()
    assert entry["receipt"].startswith("HS-")
    assert entry["status"] == outcome.status
    # strangers' mail: never registered, so rejected; every problem carries a message
    assert all(p["message"] for p in entry["problems"])


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_every_corpus_pdf_attached_by_a_school_gets_an_outcome(mailroom, path):
    raw = make_eml(
        sender="c2anbinh@example.vn",
        to=OFFICE,
        subject="Hồ sơ thi đua",
        attachments=[(path.name, path.read_bytes(), "application/pdf")],
    )
    outcome = mailroom.process(raw, key=f"corpus:{path.name}")
    assert outcome.status in ("accepted", "needs_correction"), outcome.error
    [entry] = mailroom.submissions()
    [document] = entry["documents"]
    assert document["filename"] == path.name and len(document["sha256"]) == 64
    if "password" in path.name:
        assert any(p["code"] == "unreadable_attachment" for p in entry["problems"])
    assert len(mailroom.replies()) == 1
