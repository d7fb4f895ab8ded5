"""A list of words (files to copy, ports, program and arguments): one row per item, reorderable."""

from __future__ import annotations

import json
from typing import Any

from ui.widgets.fields.base import FieldContext
from ui.widgets.fields.rows import Column, Row, RowsEditor


def example_items(example: str) -> tuple[str, ...]:
    """Placeholders from a catalog example: each item of a JSON list (``["make", "install"]``) or the text."""
    if example.startswith("["):
        try:
            items = json.loads(example)
        except ValueError:
            return (example,)
        if isinstance(items, list) and items:
            return tuple(str(item) for item in items)
    return (example,) if example else ()


class ListField(RowsEditor):
    """A LIST parameter; items are written as typed (the renderer quotes exec-form items itself)."""

    reorderable = True

    def make_columns(self, context: FieldContext) -> tuple[Column, ...]:
        return (Column(context.label, example_items(context.example)),)

    def words_of(self, item: Any) -> list[str]:
        return [str(item)]

    def item_of(self, row: Row) -> Any:
        return self.cell(row, 0)
