"""Image references split as written, and a version typed with the image moved to its own field."""

from __future__ import annotations

import pytest

from desktop.blocks.values import split_image_ref, tag_apart


@pytest.mark.parametrize(
    ("ref", "parts"),
    [
        ("alpine", ("alpine", "", "")),
        ("alpine:3.20", ("alpine", "3.20", "")),
        ("localhost:5000/app", ("localhost:5000/app", "", "")),
        ("localhost:5000/app:1", ("localhost:5000/app", "1", "")),
        ("alpine:3.20@sha256:abc", ("alpine", "3.20", "sha256:abc")),
    ],
)
def test_split_image_ref(ref: str, parts: tuple[str, str, str]) -> None:
    found = split_image_ref(ref)
    assert (found.name, found.tag, found.digest) == parts


@pytest.mark.parametrize(
    ("image", "tag", "apart"),
    [
        ("alpine:3.20", "", ("alpine", "3.20")),
        ("ghcr.io/me/app:v1", "", ("ghcr.io/me/app", "v1")),
        ("alpine", "", None),
        ("alpine:3.20", "3.19", None),  # a version of its own: the image field says they disagree
        ("localhost:5000/app", "", None),  # a registry's port
        ("alpine:3.20@sha256:abc", "", None),  # with a digest: left as typed
        ("python:${VERSION}", "", None),  # known only while building
        ("alpine:bad tag", "", None),
        (":3.20", "", None),
    ],
)
def test_tag_apart(image: str, tag: str, apart: tuple[str, str] | None) -> None:
    assert tag_apart(image, tag) == apart
