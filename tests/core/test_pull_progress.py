"""Folding the engine's pull lines into per-layer progress, and which base images a project pulls."""

from __future__ import annotations

from desktop.dockerfile import import_text
from desktop.engine.pull import DOWNLOAD_SHARE, LayerState, PullProgress, base_images, plain_pull_error, say

# The shape of the lines Engine 20.10 sends (taken from a pull of a two-layer image from a local registry).
LINES = [
    {"status": "Pulling from dockblocks-test/random", "id": "a1"},
    {"status": "Pulling fs layer", "progressDetail": {}, "id": "aaa"},
    {"status": "Pulling fs layer", "progressDetail": {}, "id": "bbb"},
    {"status": "Waiting", "progressDetail": {}, "id": "bbb"},
    {"status": "Downloading", "progressDetail": {"current": 500, "total": 1000}, "id": "aaa"},
]


def test_layers_are_folded_in_the_order_first_named() -> None:
    progress = PullProgress("img")
    for line in LINES:
        progress.fold(line)
    assert list(progress.layers) == ["aaa", "bbb"]
    assert progress.layers["aaa"].state is LayerState.DOWNLOADING
    assert progress.layers["aaa"].fraction == DOWNLOAD_SHARE / 2
    assert progress.layers["bbb"].fraction == 0.0
    assert progress.status == "Pulling from dockblocks-test/random"

    for line in [
        {"status": "Verifying Checksum", "progressDetail": {}, "id": "aaa"},
        {"status": "Download complete", "progressDetail": {}, "id": "aaa"},
        {"status": "Extracting", "progressDetail": {"current": 250, "total": 1000}, "id": "aaa"},
        {"status": "Already exists", "progressDetail": {}, "id": "bbb"},
    ]:
        progress.fold(line)
    aaa = progress.layers["aaa"]
    assert aaa.downloaded == aaa.download_total == 1000
    assert aaa.fraction == DOWNLOAD_SHARE + (1 - DOWNLOAD_SHARE) * 0.25
    assert progress.layers["bbb"].fraction == 1.0

    progress.fold({"status": "Pull complete", "progressDetail": {}, "id": "aaa"})
    progress.fold({"status": "Digest: sha256:abc"})
    progress.fold({"status": "Status: Downloaded newer image for img:latest"})
    assert progress.fraction == 1.0 and progress.digest == "sha256:abc"
    assert progress.status == "Status: Downloaded newer image for img:latest"


def test_errors_become_plain_sentences() -> None:
    progress = PullProgress("img")
    progress.fold({"errorDetail": {"message": "manifest unknown"}, "error": "manifest unknown"})
    assert progress.error == "manifest unknown"
    assert plain_pull_error("img", progress.error) == say("pull.not_found", image="img")
    assert plain_pull_error("img", "unauthorized: authentication required") == say("pull.denied", image="img")
    assert plain_pull_error("img", "dial tcp 127.0.0.1:1: connect: connection refused") == say(
        "pull.unreachable", image="img"
    )


def test_base_images_leave_out_scratch_stages_and_variables() -> None:
    document = import_text(
        "FROM python:3.12-slim AS build\nFROM build\nFROM scratch\nFROM alpine\nFROM $BASE\n"
        "FROM nginx@sha256:abc\nFROM alpine\n"
    )
    assert base_images(document) == ["python:3.12-slim", "alpine", "nginx@sha256:abc"]
