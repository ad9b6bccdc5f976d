"""From problems to a submission's status, end to end through run_checks."""

from __future__ import annotations

from tests.support import checks_factory as f
from thidua.checks import run_checks, status_for


def test_clean_submission_is_accepted(valid_ctx):
    assert status_for(run_checks(valid_ctx)) == "accepted"


def test_warnings_only_are_accepted():
    ctx = f.list_context(
        f.nominee(1, achievements="Nhiệt tình, trách nhiệm"), received_at=f.at("2018-03-20 08:00")
    )
    problems = run_checks(ctx)
    assert f.codes(problems) == ["late", "not_quantified"]
    assert status_for(problems) == "accepted"


def test_an_error_needs_correction():
    ctx = f.list_context(f.nominee(1), f.nominee(3, name="B"))
    problems = run_checks(ctx)
    assert f.codes(problems) == ["bad_rank"]
    assert status_for(problems) == "needs_correction"


def test_unknown_sender_is_rejected():
    problems = run_checks(f.list_context(f.nominee(1), sender_school=None))
    assert f.codes(problems) == ["unknown_sender"]
    assert status_for(problems) == "rejected"


def test_spoofed_sender_is_rejected_even_with_other_errors():
    problems = run_checks(f.list_context(f.nominee(1, evidence=()), spoof="spf=fail"))
    assert f.codes(problems) == ["spoofed_sender", "missing_evidence"]
    assert status_for(problems) == "rejected"


def test_empty_mail_needs_correction():
    problems = run_checks(f.context())
    assert f.codes(problems) == ["no_attachment"]
    assert status_for(problems) == "needs_correction"
