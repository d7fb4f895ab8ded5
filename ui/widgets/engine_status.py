"""The engine in the status bar: which engine, its version and whether BuildKit is available, or why there
is none and what to do; clicking it opens the Engine menu.

:func:`install_engine_status` puts it, and the Engine menu, into the main window.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QMenu, QMenuBar, QSizePolicy, QWidget

from desktop.engine.problems import say
from ui.dialogs.connect_dialog import EngineMenu
from ui.engine_monitor import EngineMonitor, install_engine_monitor

CONNECTED = QColor("#2e9d4f")
UNAVAILABLE = QColor("#c0392b")
CHECKING = QColor("#8a8f98")


class StatusDot(QWidget):
    """A small filled circle: green connected, red unavailable, grey still looking."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colour = CHECKING
        self.setFixedSize(QSize(10, 10))

    def set_colour(self, colour: QColor) -> None:
        self.colour = colour
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.colour)
        painter.drawEllipse(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.end()


class EngineStatus(QWidget):
    """The status bar's engine field; follows ``monitor.stateChanged``.

    Attributes:
        text: the label (``Docker Engine 20.10.24 · BuildKit: yes``, or ``No engine — <reason>``).
        menu: the Engine menu opened by a click (None until given).
    """

    def __init__(self, monitor: EngineMonitor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.monitor = monitor
        self.menu: EngineMenu | None = None
        self.setObjectName("EngineStatus")
        self.setAccessibleName(say("status.accessible"))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(6)
        self.dot = StatusDot(self)
        self.text = QLabel(self)
        self.text.setObjectName("EngineStatusText")
        self.text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.dot)
        layout.addWidget(self.text)
        monitor.stateChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Show the monitor's state now."""
        info, problem = self.monitor.info, self.monitor.problem
        if info is not None:
            buildkit = say("status.buildkit_yes" if info.buildkit else "status.buildkit_no")
            shown = f"{say('status.connected', product=info.product, version=info.version)} · {buildkit}"
            tip = say(
                "status.tooltip_connected",
                product=info.product,
                version=info.version,
                api_version=info.api_version,
                os=info.os,
                address=info.url,
                source=_source_text(info.address.source.value, info.address.name),
                buildkit=say("status.yes" if info.buildkit else "status.no"),
            )
            colour = CONNECTED
        elif problem is not None:
            # A few words that fit (the whole sentence, cut off at the window's edge, said little); the
            # sentence and what to do are in the tooltip and the Engine menu.
            shown = f"{say('status.unavailable')} — {say(f'status.short.{problem.kind.value}')}"
            tip = say("status.tooltip_problem", message=problem.message, hint=problem.hint)
            colour = UNAVAILABLE
        else:
            shown, tip, colour = say("status.checking"), say("status.checking"), CHECKING
        self.text.setText(shown)
        self.setToolTip(tip)
        self.setAccessibleDescription(tip)
        self.dot.set_colour(colour)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.menu is not None:
            self.show_menu()
            event.accept()
            return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.show_menu()
            return
        super().keyPressEvent(event)

    def show_menu(self) -> None:
        """Open the Engine menu just above the field."""
        if self.menu is None:
            return
        self.menu.refill()
        height = self.menu.sizeHint().height()
        self.menu.popup(self.mapToGlobal(QPoint(0, -height)))


def _source_text(source: str, name: str) -> str:
    if source == "socket":
        return say("source.socket", name=say(f"socket.{name}"))
    return say(f"source.{source}", name=name)


def _menu_name(action: QAction) -> str:
    menu = action.menu()
    return menu.objectName() if isinstance(menu, QMenu) else ""


def install_engine_status(window: QMainWindow) -> EngineStatus:
    """The engine's field in the window's status bar and the Engine menu before Help.

    The monitor is ``window.engine`` (made if the window has none yet). Installing twice changes nothing.
    """
    existing = window.findChild(EngineStatus, "EngineStatus")
    if isinstance(existing, EngineStatus):
        return existing
    monitor = getattr(window, "engine", None)
    if not isinstance(monitor, EngineMonitor):
        monitor = install_engine_monitor(window)
    status = EngineStatus(monitor, window)
    window.statusBar().addPermanentWidget(status)
    menu = EngineMenu(monitor, window)
    bar: QMenuBar = window.menuBar()
    help_menu = next((a for a in bar.actions() if _menu_name(a) == "HelpMenu"), None)
    if help_menu is not None:
        bar.insertMenu(help_menu, menu)
    else:
        bar.addMenu(menu)
    status.menu = menu
    return status
