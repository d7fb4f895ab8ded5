"""Build arguments (ARG): a name and an optional default value per row."""

from __future__ import annotations

from typing import Any

from ui.widgets.fields.base import FieldContext
from ui.widgets.fields.pairs import split_example
from ui.widgets.fields.rows import Column, Row, RowsEditor


class ArgsField(RowsEditor):
    """An ARGS parameter: ``[name]`` when the default is left empty, else ``[name, default]``."""

    def make_columns(self, context: FieldContext) -> tuple[Column, ...]:
        name, value = split_example(context.example)
        return (
            Column(self.tr("Name"), (name,) if name else ()),
            Column(self.tr("Default (optional)"), (value,) if value else (), quoted=True),
        )

    def add_text(self) -> str:
        return self.tr("+ Add a build argument")

    def help_text(self) -> str:
        name, value = split_example(self.context.example)
        return self.tr(
            "One build argument per row, for example {name} with the default {value}; leave the default "
            "empty when there is none. Use it later as ${name}."
        ).format(name=name or "NAME", value=value or "value")

    def words_of(self, item: Any) -> list[str]:
        words = [str(word) for word in item] if isinstance(item, list) else [str(item)]
        return words[:2]

    def item_of(self, row: Row) -> Any:
        name = self.cell(row, 0)
        default_text = row.edits[1].text()
        untouched = row.raw is not None and self.display(1, row.raw[1] if len(row.raw) > 1 else "") == (
            default_text
        )
        if untouched and row.raw is not None:
            # Keep "ARG NAME" and "ARG NAME=" apart, as they were written.
            return [name, *row.raw[1:2]]
        return [name, self.encode(1, default_text)] if default_text else [name]
