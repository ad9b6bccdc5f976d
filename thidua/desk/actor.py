"""Who does something on the desk, and the two ways an action can be refused."""

from __future__ import annotations

from dataclasses import dataclass

from thidua.store.models import ApiToken, DeskUser

# What each role may do (SPEC "The staff desk"): admin (accounts, schools, campaign), clerk
# (decisions, replies, signed copies, review queue), reviewer (evidence review, selection),
# viewer (reads only). An admin may also do a clerk's work.
CAN_DECIDE = ("admin", "clerk")
CAN_REVIEW_MAIL = ("admin", "clerk")
CAN_EDIT_SCHOOLS = ("admin",)
CAN_SELECT = ("admin", "reviewer")
CAN_READ = ("admin", "clerk", "reviewer", "viewer")


@dataclass(frozen=True)
class Actor:
    """A logged-in staff member, an API token, or the command line's operator."""

    name: str  # the user name or the token's name, as the audit log shows it
    role: str
    office: str
    display_name: str = ""
    via: str = "session"  # session | token | cli

    @classmethod
    def of_user(cls, user: DeskUser) -> Actor:
        return cls(user.username, user.role, user.office, user.display_name or user.username, "session")

    @classmethod
    def of_token(cls, token: ApiToken) -> Actor:
        return cls(f"token:{token.name}", token.role, token.office, token.name, "token")

    @classmethod
    def operator(cls, office: str, name: str = "cli") -> Actor:
        """The person at the server's command line, who may do anything."""
        return cls(name, "admin", office, name, "cli")

    @property
    def username(self) -> str:
        return self.name

    def may(self, roles: tuple[str, ...]) -> bool:
        return self.role in roles


class DeskError(ValueError):
    """An action refused for a reason staff can fix; ``message`` is Vietnamese (HTTP 422)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(LookupError):
    """No such receipt, mail, school or nominee (HTTP 404); the message is Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Conflict(ValueError):
    """The action conflicts with the current state (HTTP 409); the message is Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
