"""Understanding the documents schools send: what each is, and the records in it.

``understand`` is the entry point: it recognises a document by its content
(registration, nomination list, report, evidence, unknown) and extracts its
registrations or nominees. All functions are pure and return NFC text.
"""

from thidua.parsers.forms.classify import classify, understand
from thidua.parsers.forms.model import Nominee, Registration, UnderstoodDocument
from thidua.parsers.forms.nominations import extract_nominees
from thidua.parsers.forms.registration import extract_registrations

__all__ = [
    "Nominee",
    "Registration",
    "UnderstoodDocument",
    "classify",
    "extract_nominees",
    "extract_registrations",
    "understand",
]
