"""Labels typed on the command line (`--label KEY=VALUE`), shared by `dockblocks build` and `run`."""

from __future__ import annotations

import pytest

from desktop.engine.labels import PROJECT_LABEL, parse_labels


def test_typed_labels_join_the_base_ones() -> None:
    labels = parse_labels(["team=blue", "note=a=b", "empty="], {PROJECT_LABEL: "App"})

    assert labels == {PROJECT_LABEL: "App", "team": "blue", "note": "a=b", "empty": ""}


@pytest.mark.parametrize("text", ["novalue", "=value", ""])
def test_a_text_that_is_not_key_equals_value_is_named(text: str) -> None:
    base = {PROJECT_LABEL: "App"}
    with pytest.raises(ValueError) as raised:
        parse_labels(["ok=1", text], base)

    assert str(raised.value) == text
    assert base == {PROJECT_LABEL: "App"}  # the caller's labels are left alone
