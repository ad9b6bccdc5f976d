"""The checks a submission goes through before it is filed and answered.

``run_checks(ctx)`` runs every rule of :data:`RULES` (see :mod:`thidua.checks.rules`) and
returns the problems found; :func:`status_for` turns them into the submission's status.
"""

from thidua.checks.evidence import evidence_files, find_evidence
from thidua.checks.model import ERROR, SEVERITY, WARNING, Problem, status_for
from thidua.checks.quantity import is_quantified
from thidua.checks.rules import RULES, Rule, run_checks

__all__ = [
    "ERROR",
    "RULES",
    "SEVERITY",
    "WARNING",
    "Problem",
    "Rule",
    "evidence_files",
    "find_evidence",
    "is_quantified",
    "run_checks",
    "status_for",
]
