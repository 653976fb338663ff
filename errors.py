"""The errors Pressroom reports to its users: each message says what is wrong and how to fix it."""

from __future__ import annotations

from pathlib import Path


class PressroomError(Exception):
    """Base of every error a user can act on; `exit_code` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ContentError(PressroomError):
    """An article that cannot be read: names the file, the line (when known) and the problem."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None, fix: str = "") -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        self.fix = fix
        where = f"{self.path}, line {line}" if line is not None else self.path
        message = f"{where}: {problem}"
        if fix:
            message += f" ({fix})"
        super().__init__(message)
