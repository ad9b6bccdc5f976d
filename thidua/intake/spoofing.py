"""Sender authenticity from the office's own receiving server (RFC 8601 Authentication-Results).

Only headers whose authserv-id is the configured trusted server count: anyone can write an
Authentication-Results header into a mail, but the office's server prepends its own on top.
"""

from __future__ import annotations

import re

from thidua.parsers.mail import ParsedMail

_RESULT = re.compile(r"\b(dmarc|dkim|spf)\s*=\s*([a-z]+)", re.IGNORECASE)


def _verdicts(header: str) -> tuple[str, dict[str, list[str]]]:
    authserv_id, _, rest = header.partition(";")
    verdicts: dict[str, list[str]] = {}
    for method, result in _RESULT.findall(rest):
        verdicts.setdefault(method.lower(), []).append(result.lower())
    return authserv_id.strip().split()[0].lower() if authserv_id.strip() else "", verdicts


def spoof_failure(mail: ParsedMail, trusted_authserv_id: str) -> str:
    """ "dmarc=fail" (etc.) when the trusted server says the From domain is forged, else ""."""
    if not trusted_authserv_id:
        return ""
    for header in mail.authentication_results:
        server, verdicts = _verdicts(header)
        if server != trusted_authserv_id.lower():
            continue
        if "fail" in verdicts.get("dmarc", []):
            return "dmarc=fail"
        if "dmarc" not in verdicts:
            # No DMARC verdict: both other mechanisms failing is as clear as it gets.
            dkim, spf = verdicts.get("dkim", []), verdicts.get("spf", [])
            if spf and "fail" in spf and not any(v == "pass" for v in dkim):
                return "spf=fail, dkim≠pass"
        return ""  # the topmost trusted header decides
    return ""
