"""Names and values (ENV, LABEL): a two-column table.

The value column shows a value without its quotes and writes it quoted when it needs them, so a
beginner types ``Hello world`` and the Dockerfile says ``"Hello world"``. Names are written as typed:
a name with a space is an error the form then explains, rather than something quietly quoted.
"""

from __future__ import annotations

from typing import Any

from ui.widgets.fields.base import FieldContext
from ui.widgets.fields.rows import Column, Row, RowsEditor


def split_example(example: str) -> tuple[str, str]:
    """``PORT=8080`` -> (``PORT``, ``8080``); quotes around the value are dropped."""
    name, _eq, value = example.partition("=")
    return name, value.strip('"')


class PairsField(RowsEditor):
    """A PAIRS parameter."""

    def make_columns(self, context: FieldContext) -> tuple[Column, ...]:
        name, value = split_example(context.example)
        return (
            Column(self.tr("Name"), (name,) if name else (), stretch=2),
            Column(self.tr("Value"), (value,) if value else (), quoted=True, stretch=3),
        )

    def add_text(self) -> str:
        return self.tr("+ Add a name and value")

    def help_text(self) -> str:
        # The catalog's help speaks of NAME=value text; in this table quoting is done for the user.
        name, value = split_example(self.context.example)
        return self.tr(
            "One name and its value per row, for example {name} and {value}. Type the value as it is, "
            "spaces included: quotes are added for you."
        ).format(name=name or "NAME", value=value or "value")

    def words_of(self, item: Any) -> list[str]:
        words = [str(word) for word in item] if isinstance(item, list) else [str(item)]
        return [*words, "", ""][:2]

    def item_of(self, row: Row) -> Any:
        return [self.cell(row, 0), self.cell(row, 1)]
