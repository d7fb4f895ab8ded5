"""Fixtures for the widget tests: Qt runs offscreen, and a controller holds a small imported Dockerfile.

PySide6 6.12.0 on Python 3.11 hands back ``None`` from every void method (``painter.save()``,
``font.setBold(True)``…), and ``True`` from ``emit``, without owning a reference to it, so each call takes
one reference away; Python 3.11 does not make these objects immortal (3.12 does), and after a few thousand
calls the interpreter aborts with "deallocating None". Painting one canvas makes hundreds of such calls.
The tests give ``None``, ``True`` and ``False`` a reference count no run can use up, as Python 3.12 does.

Fixtures:
    controller: a :class:`ui.controller.DocumentController` over a two-stage Dockerfile; after the test it
        cancels a planned lint check and waits for a running one, so no worker thread outlives the test.
    controller_for: makes such controllers from any Dockerfile text ("" for an empty document), settled
        the same way after the test.
"""

from __future__ import annotations

import ctypes
import os
import sys

# Before Qt is imported anywhere: the tests never open a real window.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer

from desktop.blocks.model import Document
from desktop.dockerfile import import_text
from desktop.project import Project
from ui.controller import DocumentController


def _pin_singletons() -> None:
    if sys.version_info >= (3, 12):
        return  # immortal already
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40


_pin_singletons()

SMALL_DOCKERFILE = """\
FROM python:3.12-slim AS build
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

FROM python:3.12-slim
COPY --from=build /app /app
EXPOSE 8000
CMD ["python", "app.py"]
"""


def _settle(controller: DocumentController) -> None:
    # Widgets may keep a controller alive after the test: a lint check it still had planned would then
    # start later and report to a controller already gone. Cancel the plan, let a running check end.
    for timer in controller.findChildren(QTimer):
        timer.stop()
    controller.wait_for_lint()


@pytest.fixture
def controller(qtbot: object) -> Iterator[DocumentController]:
    made = DocumentController(Project(document=import_text(SMALL_DOCKERFILE)))
    yield made
    _settle(made)


@pytest.fixture
def controller_for(qtbot: object) -> Iterator[Callable[[str], DocumentController]]:
    made: list[DocumentController] = []

    def make(text: str) -> DocumentController:
        document = import_text(text) if text else Document()
        made.append(DocumentController(Project(document=document)))
        return made[-1]

    yield make
    for controller in made:
        _settle(controller)


# --- garbage is collected on the GUI thread only --------------------------------------------------------
# The application does this from its start (ui.app.create_application); the tests make their own
# QApplication, so without this fixture the cyclic collector could run in a lint worker thread and free a
# Qt object there (a test object caught in a reference cycle): "killTimer from another thread", a crash.


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread(qapp: object) -> Iterator[None]:
    """The application's :class:`ui.gc_guard.MainThreadCollector`, for every UI test; after the test, its
    garbage is collected here, on the GUI thread, once no project is being checked.

    A controller left in a reference cycle lives on until it is collected, and its planned lint check may
    start meanwhile: freed while a worker runs that check, it crashes the worker. So every controller
    still alive finishes its check first. A test that makes and destroys a collector of its own switches
    automatic collection back on when it ends; it is switched off again before the next test.
    """
    import gc

    import shiboken6
    from PySide6.QtCore import QObject

    from ui.gc_guard import MainThreadCollector, collector_of

    if isinstance(qapp, QObject) and collector_of(qapp) is None:
        MainThreadCollector(qapp)
    gc.disable()
    yield
    for wrapper in shiboken6.getAllValidWrappers():
        if isinstance(wrapper, DocumentController):
            _settle(wrapper)
            # Its commands hold it, and its undo stack holds them: a cycle the collector frees in any order,
            # and the stack deleting commands whose Python side is already gone crashed. Deleted here, the
            # commands go first, while everything they touch is still whole.
            wrapper.undo_stack.clear()
    gc.collect()


@pytest.fixture
def private_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings, recent files and recovery copies of this test stay in its own folder (window tests)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    yield
