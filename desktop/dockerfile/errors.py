"""The one error import raises: where the Dockerfile is wrong, and what to do about it."""

from __future__ import annotations


class DockerfileSyntaxError(ValueError):
    """A Dockerfile that cannot be read.

    Attributes:
        line: 1-based line where the problem is (0 when it concerns the whole file).
        column: 1-based column (1 when only the line is known).
        message: one sentence a beginner can act on.
    """

    def __init__(self, message: str, line: int = 0, column: int = 1) -> None:
        self.message = message
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line <= 0:
            return self.message
        return f"Line {self.line}, column {self.column}: {self.message}"
