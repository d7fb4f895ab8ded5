"""Painting a step's heading in the build log: fold arrow, state chip (with its time), name, line count."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette

from desktop.engine.step_words import plain_step_name
from ui.models.build_log_model import LogStep
from ui.widgets.build_states import say, state_colour, state_text, text_on

LINE_INDENT = 30  # lines start under the heading's state chip, right of its fold arrow


def paint_heading(
    painter: QPainter,
    rect: QRect,
    step: LogStep,
    expanded: bool | None,
    now: float,
    font: QFont,
    palette: QPalette,
    name_column: int,
) -> int:
    """Paint one heading row.

    Args:
        expanded: whether the step's lines show (None: it has none, so no arrow).
        font: the heading's (bold) font; palette: the view's.
        name_column: where names start, so they line up (at least right of this heading's chip).

    Returns:
        The right edge of the state chip painted.
    """
    band = rect.adjusted(0, 1, 0, -1)
    painter.fillRect(band, palette.color(QPalette.ColorRole.AlternateBase))
    painter.setFont(font)
    painter.setPen(palette.color(QPalette.ColorRole.Text))
    if expanded is not None:
        arrow = "▾" if expanded else "▸"
        painter.drawText(QRect(6, rect.top(), 16, rect.height()), Qt.AlignmentFlag.AlignVCenter, arrow)
    chip_text = state_text(step.state, step.started, step.completed, now)
    metrics = QFontMetrics(font)
    chip = QRect(
        LINE_INDENT - 6, band.top() + 1, metrics.horizontalAdvance(chip_text) + 14, band.height() - 2
    )
    colour = state_colour(step.state, palette)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(chip, chip.height() / 2, chip.height() / 2)
    painter.setPen(text_on(colour))
    painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, chip_text)
    count = len(step.lines) + step.dropped
    right = say("log.one_line") if count == 1 else say("log.lines", count=f"{count:,}")
    right_width = metrics.horizontalAdvance(right) + 12 if count else 0
    if count:
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        flags = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
        painter.drawText(rect.adjusted(0, 0, -10, 0), flags, right)
    left = max(name_column, chip.right() + 10)
    name_area = QRect(left, rect.top(), rect.width() - left - 10 - right_width, rect.height())
    painter.setPen(palette.color(QPalette.ColorRole.Text))
    title = heading_title(step)
    painter.drawText(
        name_area,
        Qt.AlignmentFlag.AlignVCenter,
        metrics.elidedText(title, Qt.TextElideMode.ElideRight, name_area.width()),
    )
    return chip.right()


def heading_title(step: LogStep) -> str:
    """The name a step's heading shows: the engine's own steps in plain words (copies keep its name)."""
    return plain_step_name(step.name) if step.name else step.step_id
