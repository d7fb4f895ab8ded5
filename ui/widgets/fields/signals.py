"""Emitting Qt signals from Python without PySide6 6.12.0's lost reference to ``True``.

``SignalInstance.emit`` in PySide6 6.12.0 returns ``True`` without owning a reference to it, so every
emit from Python takes one reference away from ``True``. Python 3.11 does not make ``True`` immortal:
after some hundreds of emits its count reaches zero and the interpreter aborts ("deallocating True or
False"). :func:`emit` gives the reference back when (and only when) the installed PySide6 loses it;
:func:`patched_emit` does the same for every emit of a process (tests, or the application at start).
"""

from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None

_PROBES = 8


class _Probe(QObject):
    ping = Signal()


@functools.cache
def emit_loses_reference() -> bool:
    """Whether this PySide6's ``emit`` takes a reference away from the value it returns."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        result: object = probe.ping.emit()  # type: ignore[func-returns-value]  # the stubs say None
        if result is not True:
            return False  # an emit that does not answer True cannot have lost True's reference
        del result
    lost = before - sys.getrefcount(True)
    for _ in range(max(lost, 0)):
        _incref(True)  # what the probe itself took away
    return lost >= _PROBES


def emit(signal: SignalInstance, *args: Any) -> None:
    """Emit a signal; gives back the reference PySide6 6.12.0 loses."""
    result: object = signal.emit(*args)  # type: ignore[func-returns-value]  # it returns a bool
    already_fixed = getattr(SignalInstance.emit, "keeps_reference", False)
    if emit_loses_reference() and not already_fixed and isinstance(result, bool):
        _incref(result)


def compensating_emit(original: Callable[..., Any]) -> Callable[..., Any]:
    """A replacement for ``SignalInstance.emit`` that calls ``original`` and gives back the lost reference."""

    def emit_and_keep_reference(self: SignalInstance, *args: Any) -> Any:
        result = original(self, *args)
        if isinstance(result, bool):
            _incref(result)
        return result

    emit_and_keep_reference.keeps_reference = True  # type: ignore[attr-defined]
    return emit_and_keep_reference


def patched_emit() -> Callable[..., Any] | None:
    """The ``SignalInstance.emit`` replacement to install, or None when this PySide6 needs none."""
    return compensating_emit(SignalInstance.emit) if emit_loses_reference() else None
