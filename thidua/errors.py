"""Errors that reach staff as one clear line (the CLI prints them without a traceback)."""


class ThiduaError(Exception):
    """Base for every error that should be shown to staff as one line."""


class ConfigError(ThiduaError):
    """The configuration or campaign file is wrong; the message says what to change."""


class ServiceUnavailable(ThiduaError):
    """A server (database, IMAP, SMTP) cannot be reached right now."""
