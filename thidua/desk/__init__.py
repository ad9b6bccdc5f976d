"""Staff operations, shared by the web desk and the command line.

queries   the read side: dashboard, submission list and page, review queue, schools
records   a submission version as the SPEC's JSON, with the desk's additions (decisions, paper copy)
actions   the write side: decisions (with their reply), paper copies, review queue, schools;
          every change records an audit entry
passwords argon2 hashing of desk passwords
"""
