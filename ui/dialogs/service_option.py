"""The run dialog's "Run as a service with N replicas" option, offered only on a swarm manager.

The option is a check box whose text follows the dialog's "How many" field (the number of replicas), a
short explanation of what a service and a replica are, and, when chosen, what changes for ports and the
restart setting. Until the engine has answered whether it manages a swarm the option is disabled with
"checking…"; on an engine that does not, it stays disabled and says why in one line (a worker of a swarm
is told to connect to a manager).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from desktop.engine.services import SwarmRole, say


class ServiceOption(QWidget):
    """Whether Run creates a swarm service rather than instances.

    Signals:
        changed(): the choice changed (checked, or the option became available or not).
    """

    changed = Signal()

    def __init__(self, count: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RunServiceOption")
        self._count = count
        self._manager: bool | None = None
        self.check = QCheckBox(self)
        self.check.setObjectName("RunAsService")
        self.check.setToolTip(say("option.help"))
        self.check.toggled.connect(self._toggled)
        self.explanation = QLabel(say("option.help"), self)
        self.explanation.setObjectName("RunServiceHelp")
        self.explanation.setWordWrap(True)
        self.reason = QLabel(self)
        self.reason.setObjectName("RunServiceReason")
        self.reason.setWordWrap(True)
        self.notes = QLabel(f"{say('option.ports_note')} {say('option.restart_note')}", self)
        self.notes.setObjectName("RunServiceNotes")
        self.notes.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for widget in (self.check, self.reason, self.explanation, self.notes):
            layout.addWidget(widget)
        self.set_count(count)
        self.set_manager(None)

    def chosen(self) -> bool:
        """Whether Run creates a service (checked, on an engine that is a swarm manager)."""
        return self._manager is True and self.check.isChecked()

    def manager(self) -> bool | None:
        """Whether the engine is a swarm manager (None until it answered)."""
        return self._manager

    def set_count(self, count: int) -> None:
        """The number of replicas the option names (the dialog's "How many")."""
        self._count = count
        self.check.setText(say("option.label_one") if count == 1 else say("option.label", count=count))

    def set_manager(self, manager: bool | SwarmRole | None) -> None:
        """Whether the engine is a swarm manager: true offers the option, false says why not (a worker of a
        swarm, or no swarm at all: the role says which), None: asking."""
        if isinstance(manager, bool):  # a plain yes or no: a manager, or no swarm at all
            manager = SwarmRole.MANAGER if manager else SwarmRole.NONE
        self._manager = None if manager is None else bool(manager)
        self.check.setEnabled(self._manager is True)
        self.reason.setText(say("option.checking") if manager is None else manager.reason())
        self.reason.setVisible(self._manager is not True)
        self.explanation.setVisible(self._manager is True)  # a manager's role is true, not True
        self._toggled()

    def _toggled(self, *_: object) -> None:
        self.notes.setVisible(self.chosen())
        self.changed.emit()
