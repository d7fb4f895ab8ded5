"""The run dialog: how to start instances of the project's image, checked as the user types.

Every setting of ``docker run`` a beginner needs (name, ports, variables, volumes, command, restart policy,
CPU and memory limits, how many) with the problems of each shown right under it, and the equivalent
``docker run …`` line at the bottom, with a Copy button, so users learn the CLI as they click. On an engine
that manages a swarm it also offers to run the image as a service with N replicas
(:class:`ui.dialogs.service_option.ServiceOption`); the line is then ``docker service create …``. What the
engine already uses (ports, names, images) arrives a moment after the dialog opens
(:meth:`RunDialog.set_in_use`); until then the spec is checked alone.

Open it with ``open()`` and await its ``finished`` (never ``exec()`` inside a coroutine).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.engine.ports_in_use import PortsInUse
from desktop.engine.run_command import command_line
from desktop.engine.run_spec import (
    MAX_COUNT,
    Issue,
    PortMapping,
    RestartPolicy,
    RunSpec,
    Severity,
    SpecTextError,
    VolumeMount,
    check_spec,
    memory_text,
    parse_env,
    parse_memory,
    parse_port,
    parse_volume,
    say,
)
from desktop.engine.services import SwarmRole, check_service, service_command_line
from ui.dialogs.run_rows import RowsList
from ui.dialogs.service_option import ServiceOption

FIELDS = (
    "image", "name", "count", "service", "ports", "env", "volumes", "command", "restart", "cpus", "memory",
)  # fmt: skip
ERROR_COLOUR, WARNING_COLOUR = "#c62828", "#b26a00"


class RunDialog(QDialog):
    """Settings for starting instances, validated as they are typed.

    Signals:
        specChanged(): what the dialog would run changed (its issues and command line are up to date).
    """

    specChanged = Signal()

    def __init__(self, initial: RunSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RunDialog")
        self.setWindowTitle(say("dialog.title"))
        self.setAccessibleName(say("dialog.title"))
        self._base_dir: Path | None = initial.base_dir
        self._in_use: PortsInUse | None = None
        self._service_names: tuple[str, ...] = ()
        self._issues: list[Issue] = []
        self._spec: RunSpec | None = None
        self._notes: dict[str, QLabel] = {}
        self._build(initial)
        self.resize(720, 640)
        self.refresh()

    # --- public -----------------------------------------------------------------------------------------

    def spec(self) -> RunSpec | None:
        """What Run would start, or None while something typed cannot be read."""
        return self._spec

    def in_use(self) -> PortsInUse | None:
        """What the engine used when last read (None until it arrived)."""
        return self._in_use

    def issues(self) -> list[Issue]:
        """The current errors and warnings (typing mistakes included)."""
        return list(self._issues)

    def command_text(self) -> str:
        return self.command_line.toPlainText()

    def set_in_use(self, in_use: PortsInUse) -> None:
        """What the engine already uses; the settings are checked against it from now on."""
        self._in_use = in_use
        self.refresh()

    def set_swarm(self, manager: bool | SwarmRole, service_names: tuple[str, ...] = ()) -> None:
        """Whether the engine is a swarm manager (the service option is offered only then), and the names of
        its services (a new service's name must differ)."""
        self._service_names = service_names
        self.service.set_manager(manager)  # its changed signal refreshes

    def copy_command(self) -> None:
        """Put the command line on the clipboard."""
        QGuiApplication.clipboard().setText(self.command_text())
        self.copy_button.setText(say("dialog.copied"))

    # --- building ----------------------------------------------------------------------------------------

    def _build(self, initial: RunSpec) -> None:
        form_holder = QWidget(self)
        form = QFormLayout(form_holder)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.image = self._line("RunImage", "image", initial.image)
        self.name = self._line("RunName", "name", initial.name, say("dialog.name_placeholder"))
        self.count = QSpinBox(self)
        self.count.setObjectName("RunCount")
        self.count.setRange(1, MAX_COUNT)
        self.count.setValue(max(1, min(initial.count, MAX_COUNT)))
        self.count.valueChanged.connect(self.refresh)
        self.service = ServiceOption(self.count.value(), self)
        self.service.check.setChecked(initial.as_service)
        self.count.valueChanged.connect(self.service.set_count)
        self.service.changed.connect(self.refresh)
        self.ports = RowsList(
            "RunPorts",
            [(say("dialog.host_port_placeholder"), say("dialog.host_port")),
             (say("dialog.inner_port_placeholder"), say("dialog.inner_port"))],
            say("dialog.add_port"), say("dialog.remove"), separator="→",
        )  # fmt: skip
        for port in initial.ports:
            inner = str(port.container_port) + ("" if port.protocol == "tcp" else f"/{port.protocol}")
            self.ports.add_row(["" if port.host_port is None else str(port.host_port), inner])
        self.env = RowsList(
            "RunEnv",
            [("NAME", say("dialog.env_name")),
             (say("dialog.env_value_placeholder"), say("dialog.env_value"))],
            say("dialog.add_env"), say("dialog.remove"), separator="=",
        )  # fmt: skip
        for key, value in initial.env:
            self.env.add_row([key, value])
        self.volumes = RowsList(
            "RunVolumes",
            [(say("dialog.volume_source_placeholder"), say("dialog.volume_source")),
             ("/data", say("dialog.volume_target"))],
            say("dialog.add_volume"), say("dialog.remove"), separator="→", check_text=say("dialog.read_only"),
        )  # fmt: skip
        for volume in initial.volumes:
            self.volumes.add_row([volume.source, volume.target], volume.read_only)
        for rows in (self.ports, self.env, self.volumes):
            rows.changed.connect(self.refresh)
        self.command = self._line("RunCommand", "command", initial.command, say("dialog.command_placeholder"))
        self.restart = QComboBox(self)
        self.restart.setObjectName("RunRestart")
        for policy in RestartPolicy:
            self.restart.addItem(say(f"restart.{policy.value}"), policy.value)
        self.restart.setCurrentIndex(list(RestartPolicy).index(initial.restart))
        self.restart.currentIndexChanged.connect(self.refresh)
        self.cpus = QDoubleSpinBox(self)
        self.cpus.setObjectName("RunCpus")
        self.cpus.setRange(0, 256)
        self.cpus.setSingleStep(0.25)
        self.cpus.setDecimals(2)
        self.cpus.setSpecialValueText(say("dialog.no_limit"))
        self.cpus.setValue(initial.cpus or 0)
        self.cpus.valueChanged.connect(self.refresh)
        memory = "" if initial.memory is None else memory_text(initial.memory)
        self.memory = self._line("RunMemory", "memory", memory, say("dialog.memory_placeholder"))
        rows: list[tuple[str, QWidget]] = [
            ("image", self.image), ("name", self.name), ("count", self.count), ("service", self.service),
            ("ports", self.ports),
            ("env", self.env), ("volumes", self.volumes), ("command", self.command),
            ("restart", self.restart), ("cpus", self.cpus), ("memory", self.memory),
        ]  # fmt: skip
        for field, widget in rows:
            widget.setAccessibleName(say(f"dialog.{field}"))
            widget.setToolTip(say(f"dialog.{field}_help"))
            form.addRow(say(f"dialog.{field}"), self._with_note(field, widget))
        scroll = QScrollArea(self)
        scroll.setObjectName("RunSettings")
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_holder)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.command_line = QPlainTextEdit(self)
        self.command_line.setObjectName("RunCommandLine")
        self.command_line.setAccessibleName(say("dialog.command_line"))
        self.command_line.setReadOnly(True)
        self.command_line.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.command_line.setMaximumHeight(self.fontMetrics().height() * 5)
        self.copy_button = QPushButton(say("dialog.copy"), self)
        self.copy_button.setObjectName("RunCopy")
        self.copy_button.setAccessibleName(say("dialog.copy"))
        self.copy_button.clicked.connect(self.copy_command)
        line_box = QHBoxLayout()
        line_box.addWidget(self.command_line, 1)
        line_box.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.run_button = self.buttons.addButton(say("dialog.run"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.run_button.setObjectName("RunStart")
        self.run_button.setAccessibleName(say("dialog.run"))
        self.run_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        intro = QLabel(say("dialog.intro"), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(QLabel(say("dialog.command_line"), self))
        layout.addLayout(line_box)
        layout.addWidget(self.buttons)

    def _line(self, name: str, field: str, text: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(text, self)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(self.refresh)
        return edit

    def _with_note(self, field: str, widget: QWidget) -> QWidget:
        holder = QWidget(self)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        note = QLabel(holder)
        note.setObjectName(f"RunNote_{field}")
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.RichText)
        note.hide()
        box.addWidget(note)
        self._notes[field] = note
        return holder

    # --- checking ----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the fields, check them, show the notes and the command line, enable Run or not."""
        typed: list[Issue] = []
        spec = self._read(typed)
        issues = typed + (check_spec(spec, self._in_use, self._in_use.cpus or None if self._in_use else None))
        if spec.as_service:
            issues += check_service(spec, self._service_names)
        self.restart.setEnabled(not spec.as_service)  # the swarm restarts a service's replicas itself
        self._spec = None if typed else spec
        self._issues = issues
        for field, note in self._notes.items():
            mine = [i for i in issues if i.field == field]
            note.setVisible(bool(mine))
            note.setText("<br>".join(_note_html(i) for i in mine))
        self.command_line.setPlainText(service_command_line(spec) if spec.as_service else command_line(spec))
        self.copy_button.setText(say("dialog.copy"))
        self.run_button.setEnabled(not any(i.severity is Severity.ERROR for i in issues))
        self.specChanged.emit()

    def _read(self, typed: list[Issue]) -> RunSpec:
        """The spec as typed; what cannot be read is left out and reported in ``typed``."""

        def attempt(field: str, text: str, parse: object) -> object | None:
            try:
                return parse(text)  # type: ignore[operator]
            except SpecTextError as error:
                typed.append(Issue(field, Severity.ERROR, str(error)))
                return None

        ports: list[PortMapping] = []
        for (host, inner), _ in self.ports.values():
            port = attempt("ports", f"{host}:{inner}" if host else inner, parse_port)
            if isinstance(port, PortMapping):
                ports.append(port)
        env: list[tuple[str, str]] = []
        for (key, value), _ in self.env.values():
            pair = attempt("env", f"{key}={value}", parse_env)
            if isinstance(pair, tuple):
                env.append(pair)
        volumes: list[VolumeMount] = []
        for (source, target), read_only in self.volumes.values():
            volume = attempt("volumes", f"{source}:{target}", parse_volume)
            if isinstance(volume, VolumeMount):
                volumes.append(VolumeMount(volume.source, volume.target, read_only))
        memory = attempt("memory", self.memory.text(), parse_memory)
        return RunSpec(
            image=self.image.text().strip(),
            name=self.name.text().strip(),
            ports=tuple(ports),
            env=tuple(env),
            volumes=tuple(volumes),
            command=self.command.text(),
            restart=RestartPolicy(self.restart.currentData()),
            cpus=self.cpus.value() or None,
            memory=memory if isinstance(memory, int) else None,
            count=self.count.value(),
            as_service=self.service.chosen(),
            base_dir=self._base_dir,
        )


def _note_html(issue: Issue) -> str:
    from html import escape

    colour = ERROR_COLOUR if issue.severity is Severity.ERROR else WARNING_COLOUR
    mark = "✖" if issue.severity is Severity.ERROR else "⚠"
    return f'<span style="color:{colour}">{mark} {escape(issue.message)}</span>'
