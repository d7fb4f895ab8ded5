"""The command of RUN, CMD, ENTRYPOINT, SHELL and HEALTHCHECK, with a switch between its two forms.

"Run through a shell" is the shell form: one line of text that ``/bin/sh -c`` runs, so ``&&``, pipes and
``$VARIABLES`` work. "Run directly" is the exec form: the program and each argument as list items.
Switching converts what is there, in one undoable step, so nothing typed is lost.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QButtonGroup, QRadioButton, QVBoxLayout, QWidget

from desktop.blocks.kinds import Kind, spec_of
from ui.widgets.fields.base import EditMode, FieldContext, FieldEditor, help_label
from ui.widgets.fields.list_field import ListField
from ui.widgets.fields.multiline import MultilineField

SHELL, EXEC = "shell", "exec"
SHELL_PROGRAMS = frozenset({"/bin/sh", "sh", "/bin/bash", "bash", "/bin/ash", "ash"})
# Characters that only mean something to a shell: variables, globs, command substitution, redirections.
_SHELL_CHARACTERS = frozenset("$`*?~<>|&;(){}")


def one_line(command: str) -> str:
    """A shell-form command as the shell receives it: the continued lines joined by spaces."""
    return " ".join(part.strip() for part in command.split("\n") if part.strip())


def needs_shell(line: str) -> bool:
    """Whether a command line uses what only a shell understands (``&&``, ``|``, ``$HOME``, ``*.py``)."""
    if any(ch in _SHELL_CHARACTERS for ch in line):
        return True
    try:
        words = shlex.split(line)
    except ValueError:
        return True  # an unclosed quote: leave it to the shell to complain about
    return bool(words) and "=" in words[0]


def shell_to_exec(command: str) -> list[str]:
    """The exec-form list meaning the same as a shell-form command.

    A plain command is split into words as a shell would (``python "my app.py"`` -> ``python``,
    ``my app.py``); one that needs a shell is kept whole and given to ``/bin/sh -c``.
    """
    line = one_line(command)
    if not line:
        return []
    if needs_shell(line):
        return ["/bin/sh", "-c", line]
    return shlex.split(line)


def exec_to_shell(args: list[str]) -> str:
    """The shell-form command meaning the same as an exec-form list (words quoted where needed)."""
    if len(args) == 3 and args[0] in SHELL_PROGRAMS and args[1] == "-c":
        return args[2]
    return shlex.join(args)


class CommandField(FieldEditor):
    """The ``form``, ``command`` and ``args`` parameters of a command kind, edited together."""

    owns_help = True

    def __init__(self, kind: Kind, escape: str, parent: QWidget | None = None) -> None:
        # SHELL is written as a list only, so its field is named after its list.
        shown = "args" if kind is Kind.SHELL else "command"
        super().__init__(
            FieldContext.of(kind, spec_of(kind, shown), escape), ("form", "command", "args"), parent
        )
        self.setProperty("field", "form")
        self._form = SHELL
        self._has_heredocs = False
        self.shell_button = QRadioButton(self.tr("Run through a shell (text)"), self)
        self.shell_button.setObjectName("field-form-shell")
        self.exec_button = QRadioButton(self.tr("Run directly (list)"), self)
        self.exec_button.setObjectName("field-form-exec")
        form_help = FieldContext.of(kind, spec_of(kind, "form"), escape).info.help
        for button in (self.shell_button, self.exec_button):
            button.setToolTip(form_help)
            self.set_accessible(button, button.text(), form_help)
        self._group = QButtonGroup(self)
        self._group.addButton(self.shell_button)
        self._group.addButton(self.exec_button)
        self.command = MultilineField(FieldContext.of(kind, spec_of(kind, "command"), escape), self)
        self.args = ListField(FieldContext.of(kind, spec_of(kind, "args"), escape), self)
        for inner in (self.command, self.args):
            inner.setObjectName("")  # the composite carries the coloured frame, not its parts
            inner.edited.connect(self.edited)
        self.args.focusChainChanged.connect(self.focusChainChanged)
        self.help = help_label("", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.shell_button)
        layout.addWidget(self.exec_button)
        # Only the page of the current form is shown (and takes room); the other one is hidden.
        layout.addWidget(self.command)
        layout.addWidget(self.args)
        layout.addWidget(self.help)
        self.shell_button.clicked.connect(lambda: self.switch_to(SHELL))
        self.exec_button.clicked.connect(lambda: self.switch_to(EXEC))
        self._show_form()

    def suggest(self, command: str) -> None:
        """Show ``command`` greyed in the empty text form, as the example to start from (it follows the
        image the block's stage is built on: ``apk`` on Alpine, ``apt-get`` on Debian)."""
        self.command.edit.setPlaceholderText(command)

    def switch_to(self, form: str) -> None:
        """Convert the command to the other form and write form, command and args in one step."""
        if form == self._form:
            return
        if form == EXEC:
            values = {"form": EXEC, "args": shell_to_exec(self.command.edit.toPlainText()), "command": ""}
        else:
            values = {"form": SHELL, "command": exec_to_shell(self.args.value()), "args": []}
        self._form = form
        self.command.set_value(values["command"])
        self.args.set_value(values["args"])
        self._show_form()
        self.edited.emit(values, int(EditMode.ACTION))
        self.focusChainChanged.emit()

    def _show_form(self) -> None:
        is_exec = self._form == EXEC
        self.exec_button.setChecked(is_exec)
        self.shell_button.setChecked(not is_exec)
        self.args.setVisible(is_exec)
        self.command.setVisible(not is_exec)
        self.help.setText((self.args if is_exec else self.command).context.info.help)
        # SHELL only works in the exec form: the switch shows only when something needs fixing.
        switch_visible = self.context.kind is not Kind.SHELL or not is_exec
        self.shell_button.setVisible(switch_visible)
        self.exec_button.setVisible(switch_visible)
        # Inline files (<<EOF) exist only in the shell form.
        self.exec_button.setEnabled(is_exec or not self._has_heredocs)
        if self._has_heredocs and not is_exec:
            self.exec_button.setToolTip(
                self.tr("A command with inline files (<<EOF) must run through a shell.")
            )

    def set_values(self, params: Mapping[str, Any]) -> None:
        form = EXEC if params.get("form") == EXEC else SHELL
        self._has_heredocs = bool(params.get("heredocs"))
        self.command.set_value(params.get("command"))
        self.args.set_value(params.get("args"))
        if form != self._form or self._has_heredocs:
            self._form = form
            self._show_form()
            self.focusChainChanged.emit()

    def _page(self) -> FieldEditor:
        return self.args if self._form == EXEC else self.command

    def buddy(self) -> QWidget | None:
        return self._page().buddy()

    def focus_widgets(self) -> list[QWidget]:
        switch: list[QWidget] = []
        if self.shell_button.isVisibleTo(self):
            switch = [self.exec_button if self._form == EXEC else self.shell_button]
        return [*switch, *self._page().focus_widgets()]
