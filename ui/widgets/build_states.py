"""What the build views share: their texts, each step state's colour and words, elapsed times in words.

The texts live in ``resources/i18n/build_window.<language>.json``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor, QPalette

from desktop.engine.build_events import StepState
from desktop.i18n import format_text, load_texts

TOPIC = "build_window"

# (on a light background, on a dark one): each readable as a chip with white or black text on it.
_COLOURS: dict[StepState, tuple[str, str]] = {
    StepState.WAITING: ("#6b7280", "#9ca3af"),
    StepState.RUNNING: ("#1d4ed8", "#60a5fa"),
    StepState.CACHED: ("#0f766e", "#5eead4"),
    StepState.DONE: ("#15803d", "#4ade80"),
    StepState.FAILED: ("#b91c1c", "#f87171"),
}


def say(key: str, /, **values: Any) -> str:
    """One text of the build views in the user's language (the key itself if it is missing)."""
    template = load_texts(TOPIC).get(key)
    return format_text(template if isinstance(template, str) else key, **values)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def state_colour(state: StepState, palette: QPalette) -> QColor:
    """The colour a step state is shown in, for the palette's light or dark look."""
    light, dark = _COLOURS[state]
    return QColor(dark if is_dark(palette) else light)


def text_on(colour: QColor) -> QColor:
    """Black or white, whichever reads better on ``colour``."""
    return QColor("#000000") if colour.lightnessF() > 0.55 else QColor("#ffffff")


def elapsed_text(seconds: float) -> str:
    """A duration as people say it: "0.4 s", "12 s", "3 min 5 s"."""
    seconds = max(0.0, seconds)
    if seconds < 10:
        return say("elapsed.tenths", seconds=seconds)
    whole = int(seconds)
    if whole < 60:
        return say("elapsed.seconds", seconds=whole)
    return say("elapsed.minutes", minutes=whole // 60, seconds=whole % 60)


def state_text(state: StepState, started: float | None, completed: float | None, now: float) -> str:
    """A step's state in words, with how long it has been running or how long it took."""
    if state is StepState.RUNNING and started is not None:
        return say("state.running_for", elapsed=elapsed_text(now - started))
    if state is StepState.DONE and started is not None and completed is not None:
        return say("state.done_in", elapsed=elapsed_text(completed - started))
    return say(f"state.{state.value}")
