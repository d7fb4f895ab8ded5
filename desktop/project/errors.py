"""The one error a project file raises when it cannot be read or written."""

from __future__ import annotations


class ProjectFileError(ValueError):
    """A project file that cannot be opened or saved, and why, in words a beginner can act on.

    Attributes:
        message: the whole sentence to show (it already names the line or the field when known).
        line: 1-based line of the problem in the file, 0 when it concerns the whole file.
        column: 1-based column on that line, 0 when unknown.
        field_path: where in the JSON the problem is (``document.blocks[4].params.ports``), "" when none.
    """

    def __init__(self, message: str, line: int = 0, column: int = 0, field_path: str = "") -> None:
        self.message = message
        self.line = line
        self.column = column
        self.field_path = field_path
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


class FieldProblem(ProjectFileError):
    """A valid JSON document whose content is wrong at one place; loading adds the line and column.

    Attributes:
        path: the JSON path as keys and indexes, to find the place in the text.
    """

    def __init__(self, message: str, path: tuple[str | int, ...], field_path: str) -> None:
        super().__init__(message, field_path=field_path)
        self.path = path
