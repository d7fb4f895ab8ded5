"""Finding variable references (``$NAME``, ``${NAME}``, ``${NAME:-default}``) in instruction text.

Two readers of the same text expand variables: Docker itself, in FROM, COPY, ENV, WORKDIR and the like
(its escape character is the Dockerfile's, usually ``\\``), and the shell, in the commands of RUN (whose
escape character is always ``\\``). Both leave text in single quotes alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SHELL_ESCAPE = "\\"


@dataclass(frozen=True)
class Reference:
    """One use of a variable.

    Attributes:
        name: the variable's name.
        has_default: written ``${NAME:-default}`` or ``${NAME-default}``: an unset NAME still gives a value.
    """

    name: str
    has_default: bool = False


def references(text: str, escape: str = "\\") -> list[Reference]:
    """The variables referred to in ``text``, in order of appearance (repeats kept).

    Args:
        text: the words as written, quotes included.
        escape: the character that makes the next one literal (``\\$HOME`` is not a reference).
    """
    found: list[Reference] = []
    index, size = 0, len(text)
    in_double = False
    while index < size:
        char = text[index]
        if char == escape and index + 1 < size:
            index += 2
            continue
        if char == "'" and not in_double:
            close = text.find("'", index + 1)
            if close < 0:
                break
            index = close + 1
            continue
        if char == '"':
            in_double = not in_double
        elif char == "$":
            braced = text.startswith("${", index)
            match = _NAME.match(text, index + 2 if braced else index + 1)
            if match is not None:
                after = text[match.end() : match.end() + 2]
                found.append(Reference(match.group(), braced and after.startswith((":-", "-"))))
                index = match.end()  # ${NAME:-$OTHER}: the default is read on by the same loop
                continue
        index += 1
    return found


def shell_references(text: str) -> list[Reference]:
    """References in a shell command (RUN's shell form and heredoc scripts)."""
    return references(text, _SHELL_ESCAPE)
