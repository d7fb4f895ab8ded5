"""Helpers for the lint tests: find a block by the text it starts with, run one code's findings."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from desktop.blocks.model import Document
from desktop.dockerfile.render import render_block


def _block_id(doc: Document, prefix: str) -> str:
    """The id of the only block whose text starts with ``prefix``."""
    found = [
        b.id
        for b in doc.blocks
        if (b.origin.text if b.origin is not None else render_block(b, doc.escape)).startswith(prefix)
    ]
    assert len(found) == 1, f"{len(found)} blocks start with {prefix!r}"
    return found[0]


@pytest.fixture
def block_id() -> Callable[[Document, str], str]:
    return _block_id


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests compare English texts, whatever language the machine running them speaks."""
    monkeypatch.setenv("LANGUAGE", "en")
