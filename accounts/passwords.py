"""Passwords hashed with Argon2id, and checked with the same work whether or not the account exists."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import PressroomError

MIN_LENGTH = 8
MAX_LENGTH = 1024  # Argon2 takes any length; a megabyte "password" is work for nothing
hasher = PasswordHasher()


class PasswordRefused(PressroomError):
    """A new password Pressroom will not keep (too short, too long)."""


def checked_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise PasswordRefused(f"the password is shorter than {MIN_LENGTH} characters: choose a longer one")
    if len(password) > MAX_LENGTH:
        raise PasswordRefused(f"the password is longer than {MAX_LENGTH} characters: choose a shorter one")
    return password


def hash_password(password: str) -> str:
    return hasher.hash(checked_password(password))


@functools.cache
def _dummy_hash() -> str:
    return hasher.hash("a password no account has")


def verify_password(stored: str | None, password: str) -> bool:
    """Whether `password` matches the hash `stored`; with no hash (no such account) a dummy one is
    verified instead, so that a wrong name costs what a wrong password costs."""
    try:
        return hasher.verify(stored or _dummy_hash(), password[:MAX_LENGTH]) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
