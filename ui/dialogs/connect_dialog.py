"""Choosing the Docker engine: the Engine menu (automatic, the Docker contexts, the sockets found here) and
a dialog to type an address (unix, tcp with TLS, ssh) and try it before using it.

The dialog is opened with ``open()``, never ``exec()`` (no nested event loop inside a coroutine); trying an
address runs as the runner's task ``engine.test``.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.engine import contexts
from desktop.engine.connection import EngineAddress, EngineUnavailable, Source, TlsFiles, parse_address, probe
from desktop.engine.problems import say
from ui.engine_monitor import EngineMonitor

TEST_TASK = "engine.test"


class ConnectDialog(QDialog):
    """Type an engine address, with TLS files for tcp, try it, and connect to it.

    Attributes:
        chosen: the address accepted with Connect (None until then).
    """

    def __init__(self, monitor: EngineMonitor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.monitor = monitor
        self.chosen: EngineAddress | None = None
        self.setObjectName("ConnectDialog")
        self.setWindowTitle(say("dialog.title"))
        self.setAccessibleName(say("dialog.title"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(say("dialog.intro"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.address = QLineEdit()
        self.address.setObjectName("EngineAddress")
        self.address.setAccessibleName(say("dialog.address").replace("&", "").rstrip(":"))
        self.address.setPlaceholderText(say("dialog.address_placeholder"))
        self.address.setClearButtonEnabled(True)
        label = QLabel(say("dialog.address"))
        label.setBuddy(self.address)
        form.addRow(label, self.address)
        examples = QLabel(say("dialog.examples"))
        examples.setWordWrap(True)
        examples.setObjectName("EngineAddressExamples")
        form.addRow("", examples)
        layout.addLayout(form)
        self.use_tls = QCheckBox(say("dialog.use_tls"))
        self.use_tls.setObjectName("EngineUseTls")
        layout.addWidget(self.use_tls)
        self.tls_box = QWidget()
        tls_form = QFormLayout(self.tls_box)
        tls_form.setContentsMargins(24, 0, 0, 0)
        self.files: dict[str, QLineEdit] = {}
        for part in ("ca", "cert", "key"):
            tls_form.addRow(*self._file_row(part))
        self.verify = QCheckBox(say("dialog.verify"))
        self.verify.setObjectName("EngineTlsVerify")
        self.verify.setChecked(True)
        tls_form.addRow("", self.verify)
        layout.addWidget(self.tls_box)
        self.message = QLabel("")
        self.message.setObjectName("EngineConnectMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.test_button = QPushButton(say("dialog.test"))
        self.test_button.setObjectName("EngineTestButton")
        self.connect_button = QPushButton(say("dialog.connect"))
        self.connect_button.setObjectName("EngineConnectButton")
        self.connect_button.setDefault(True)
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)
        self.connect_button.clicked.connect(self.accept_address)
        self.test_button.clicked.connect(self.start_test)
        self.use_tls.toggled.connect(self.tls_box.setEnabled)
        self.address.textChanged.connect(lambda _text: self.message.clear())
        self._fill_from_choice()
        self.tls_box.setEnabled(self.use_tls.isChecked())

    # --- reading what was typed ---------------------------------------------------------------------------

    def address_typed(self) -> EngineAddress:
        """The address as typed, checked.

        Raises:
            ValueError: with the sentence to show when it is not an engine address.
        """
        text = self.address.text().strip()
        if not text:
            raise ValueError(say("dialog.empty"))
        tls = None
        if self.use_tls.isChecked():
            paths = {part: self.files[part].text().strip() or None for part in ("ca", "cert", "key")}
            if not paths["ca"] and not (paths["cert"] and paths["key"]):
                raise ValueError(say("dialog.tls_missing"))
            tls = TlsFiles(paths["ca"], paths["cert"], paths["key"], self.verify.isChecked())
        try:
            return parse_address(text, tls)
        except EngineUnavailable as wrong:
            raise ValueError(f"{wrong.problem.message} {say('dialog.bad_scheme')}") from None

    def accept_address(self) -> None:
        """Connect: use the typed address from now on (the monitor checks it at once)."""
        try:
            address = self.address_typed()
        except ValueError as wrong:
            self.message.setText(str(wrong))
            return
        self.chosen = address
        self.monitor.choose(address)
        self.accept()

    def start_test(self) -> None:
        """Try the typed address without using it yet; the answer appears under the fields."""
        try:
            address = self.address_typed()
        except ValueError as wrong:
            self.message.setText(str(wrong))
            return
        self.message.setText(say("dialog.testing", address=address.url))
        self.test_button.setEnabled(False)
        self.monitor.runner.start(TEST_TASK, self._test(address))

    async def _test(self, address: EngineAddress) -> None:
        try:
            info = await probe(address)
        except EngineUnavailable as unavailable:
            text = unavailable.problem.sentence()
        else:
            text = say("dialog.test_ok", product=info.product, version=info.version, address=info.url)
        finally:
            self.test_button.setEnabled(True)
        self.message.setText(text)

    def done(self, result: int) -> None:
        self.monitor.runner.cancel(TEST_TASK)
        super().done(result)

    # --- building ---------------------------------------------------------------------------------------

    def _file_row(self, part: str) -> tuple[QLabel, QWidget]:
        field = QLineEdit()
        field.setObjectName(f"EngineTls_{part}")
        label = QLabel(say(f"dialog.{part}"))
        label.setBuddy(field)
        field.setAccessibleName(label.text().replace("&", "").rstrip(":"))
        browse = QPushButton(say("dialog.browse"))
        browse.setObjectName(f"EngineTlsBrowse_{part}")
        browse.setAccessibleName(f"{say('dialog.browse')} {field.accessibleName()}")
        browse.clicked.connect(lambda _checked=False, target=field: self._browse(target))
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(field, 1)
        box.addWidget(browse)
        self.files[part] = field
        return label, row

    def _browse(self, field: QLineEdit) -> None:
        dialog = QFileDialog(
            self, say("dialog.choose_file"), os.path.dirname(field.text()) or os.path.expanduser("~")
        )
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(field.setText)
        dialog.open()

    def _fill_from_choice(self) -> None:
        choice = self.monitor.choice or (self.monitor.info.address if self.monitor.info else None)
        if choice is None:
            return
        self.address.setText(choice.url)
        if choice.tls is not None:
            self.use_tls.setChecked(True)
            self.verify.setChecked(choice.tls.verify)
            for part in ("ca", "cert", "key"):
                self.files[part].setText(getattr(choice.tls, part) or "")


class EngineMenu(QMenu):
    """The Engine menu: automatic, each Docker context, each engine socket found here, a typed address,
    Connect to an Address… and Reconnect Now. Refilled each time it opens (contexts come and go)."""

    def __init__(
        self,
        monitor: EngineMonitor,
        parent: QWidget | None = None,
        list_contexts: Callable[[], list[contexts.ContextEntry]] = contexts.list_contexts,
        found_sockets: Callable[[], list[EngineAddress]] | None = None,
    ) -> None:
        super().__init__(say("menu.title"), parent)
        self.setObjectName("EngineMenu")
        self.monitor = monitor
        self._list_contexts = list_contexts
        self._found_sockets = found_sockets or contexts.found_sockets
        self._group: QActionGroup | None = None
        self.dialog: ConnectDialog | None = None
        self.aboutToShow.connect(self.refill)
        self.refill()

    def refill(self) -> None:
        """List the choices again, the one in use checked."""
        self.clear()
        self._group = QActionGroup(self)
        chosen = self.monitor.choice
        automatic = self._choice(say("menu.automatic"), None, chosen is None, "EngineAutomatic")
        self.addAction(automatic)
        self._section(
            say("menu.contexts"),
            [
                (say("menu.context_entry", name=e.name, address=e.address.url), e.address)
                for e in self._contexts()
            ],
            say("menu.no_contexts"),
        )
        sockets = [
            (say("menu.context_entry", name=say(f"socket.{a.name}"), address=a.url), a)
            for a in self._found_sockets()
        ]
        self._section(say("menu.sockets"), sockets, say("menu.no_sockets"))
        if chosen is not None and chosen.source is Source.TYPED:
            self.addSeparator()
            self.addAction(self._choice(chosen.url, chosen, True, "EngineTyped"))
        self.addSeparator()
        connect = self.addAction(say("menu.connect_to"))
        connect.setObjectName("EngineConnectTo")
        connect.triggered.connect(self.open_dialog)
        reconnect = self.addAction(say("menu.reconnect"))
        reconnect.setObjectName("EngineReconnect")
        reconnect.triggered.connect(self.monitor.reconnect)

    def open_dialog(self) -> ConnectDialog:
        """Open the Connect to an Address dialog (not modal-blocking: ``open()``)."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return self.dialog
        parent = self.parentWidget()
        self.dialog = ConnectDialog(self.monitor, parent.window() if parent is not None else None)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.destroyed.connect(self._dialog_gone)
        self.dialog.open()
        return self.dialog

    def _dialog_gone(self, _object: QObject | None = None) -> None:
        self.dialog = None

    def _contexts(self) -> list[contexts.ContextEntry]:
        try:
            return self._list_contexts()
        except OSError:
            return []

    def _section(self, title: str, entries: list[tuple[str, EngineAddress]], empty: str) -> None:
        self.addSection(title)
        if not entries:
            self.addAction(empty).setEnabled(False)
        chosen = self.monitor.choice
        in_use = self.monitor.info.url if self.monitor.info is not None else None
        for text, address in entries:
            checked = chosen is not None and chosen.key == address.key
            label = say("menu.in_use", entry=text) if address.url == in_use else text
            self.addAction(self._choice(label, address, checked, f"Engine:{address.key}"))

    def _choice(self, text: str, address: EngineAddress | None, checked: bool, name: str) -> QAction:
        action = QAction(text.replace("&", "&&") if address is not None else text, self)
        action.setObjectName(name)
        action.setCheckable(True)
        action.setChecked(checked)
        if self._group is not None:
            self._group.addAction(action)
        action.triggered.connect(lambda _checked=False, chosen=address: self.monitor.choose(chosen))
        return action
