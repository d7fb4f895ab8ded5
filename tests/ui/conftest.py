"""Fixtures for the widget tests: Qt runs offscreen, and a controller holds a small imported Dockerfile.

Fixtures:
    controller: a :class:`ui.controller.DocumentController` over a two-stage Dockerfile; after the test it
        waits for a running lint check, so no worker thread outlives the test.
"""

from __future__ import annotations

import os

# Before Qt is imported anywhere: the tests never open a real window.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402

import pytest  # noqa: E402

from desktop.dockerfile import import_text  # noqa: E402
from desktop.project import Project  # noqa: E402
from ui.controller import DocumentController  # noqa: E402

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


@pytest.fixture
def controller(qtbot: object) -> Iterator[DocumentController]:
    made = DocumentController(Project(document=import_text(SMALL_DOCKERFILE)))
    yield made
    made.wait_for_lint()
