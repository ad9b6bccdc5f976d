"""Telling people what happened: replies to schools and the staff digest.

views       the view models the pipeline fills (the only input)
render      ReplyView → EmailMessage (text + HTML), and the Jinja environment
digest      DigestView → EmailMessage, or plain text for the CLI
loopguard   whether a mail may get an automatic reply at all
senders     ReplySender protocol; DirectoryOutbox writes .eml files
vocabulary  Vietnamese words for statuses, kinds, categories, problems, form fields
"""
