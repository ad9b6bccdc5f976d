"""The kinds of document a school sends: what the form recogniser names a file, and what a
campaign's round may ask for. Kept at the bottom so both can use it."""

KINDS = ("registration", "nomination_list", "report", "evidence", "unknown")
