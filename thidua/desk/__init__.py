"""Staff operations, shared by the web desk and the command line.

queries         the read side: dashboard, submission list, review queue, schools; the submission
                page's part lives in detail
records         a submission version as the SPEC's JSON, with the desk's additions (nominee ids,
                review and selection, paper copy, decisions)
actions         the write side: decisions (their reply built by decision_reply), paper copies, the
                review queue (reprocess, parked, parked_imap), schools; every change is audited
nominees        evidence review and selection, over the selection store
papers          the official list, the results report and each school's outcome (CLI and desk)
actor, passwords  who acts and may do what; argon2 hashing of desk passwords
"""
