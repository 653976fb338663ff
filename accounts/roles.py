"""The roles, from the least to the most trusted: each may do what the ones before it may."""

from __future__ import annotations

from ..errors import PressroomError

# public: the sign-in page and static files; reader: browse, search, preview, download, send;
# editor: add, replace, delete, books; admin: accounts and everyone's tokens.
ROLES = ("public", "reader", "editor", "admin")
ACCOUNT_ROLES = ROLES[1:]


class RoleError(PressroomError):
    """A role that is not one of the roles, or more than its account may give."""

    exit_code = 2


def rank(role: str) -> int:
    return ROLES.index(role)


def allows(held: str, needed: str) -> bool:
    """Whether a holder of the role `held` may do what needs `needed`."""
    return rank(held) >= rank(needed)


def checked_role(role: str) -> str:
    if role not in ACCOUNT_ROLES:
        raise RoleError(f"“{role[:40]}” is not a role: give one of {', '.join(ACCOUNT_ROLES)}")
    return role
