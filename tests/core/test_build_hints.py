"""Hints from the messages of newer engines than the tests' own (Docker 24-28, BuildKit 0.12+).

tests/engine/test_build_hints.py builds each mistake on the real engine (20.10); the messages below are
those newer engines print for the same mistakes, so the hints keep working on a user's Docker Desktop.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.dockerfile import import_text
from desktop.dockerfile.render import render
from desktop.engine.build_hints import diagnose
from desktop.engine.build_progress import Failure
from desktop.engine.build_steps import StepMapper
from desktop.i18n import load_texts

DOC = """\
FROM debian:12 AS base
RUN apt-get update && apt-get install curl
COPY settings.ini /etc/app/
RUN frobnicate --all
RUNN echo typo
FROM nosuch/image:1.0
RUN make
"""


def _diagnose(message: str, block_index: int | None, step_name: str = "", tail: tuple[str, ...] = ()):
    doc = import_text(DOC)
    block_id = doc.blocks[block_index].id if block_index is not None else None
    failure = Failure(message, "step", block_id, step_name, tail)
    return diagnose(failure, StepMapper(doc), render(doc), Path("/home/me/app")), [b.id for b in doc.blocks]


def _starts(key: str) -> str:
    return load_texts("build")[f"hint.{key}"].split("{", 1)[0]


@pytest.mark.parametrize(
    ("case", "message", "block", "step", "tail", "expected_block", "mentioned"),
    [
        (
            "install_without_yes",
            'process "/bin/sh -c apt-get update && apt-get install curl" did not complete successfully: '
            "exit code: 1",
            1,
            "[base 2/5] RUN apt-get update && apt-get install curl",
            (
                "After this operation, 2 MB of additional disk space will be used.",
                "Do you want to continue? [Y/n] Abort.",
            ),
            1,
            "apt-get install",
        ),
        (
            "file_missing",
            "failed to solve: failed to compute cache key: failed to calculate checksum of ref 4c1e::x9: "
            '"/settings.ini": not found',
            2,
            "[base 3/5] COPY settings.ini /etc/app/",
            (),
            2,
            "settings.ini",
        ),
        (
            "command_not_found",
            'process "/bin/sh -c frobnicate --all" did not complete successfully: exit code: 127',
            3,
            "[base 4/5] RUN frobnicate --all",
            ("/bin/sh: 1: frobnicate: not found",),
            3,
            "frobnicate",
        ),
        (
            "unknown_instruction",
            "failed to solve: dockerfile parse error on line 5: "
            "unknown instruction: RUNN (did you mean run?)",
            None,
            "",
            (),
            4,
            "RUNN",
        ),
        (
            "base_image_missing",
            "failed to solve: nosuch/image:1.0: "
            "failed to resolve source metadata for docker.io/nosuch/image:1.0: pull access denied, "
            "repository does not exist or may require authorization",
            None,
            "[internal] load metadata for docker.io/nosuch/image:1.0",
            (),
            5,
            "nosuch/image:1.0",
        ),
        (
            "killed",
            'process "/bin/sh -c make" did not complete successfully: exit code: 137',
            6,
            "[stage-1 2/2] RUN make",
            (),
            6,
            "137",
        ),
    ],
)
def test_newer_engine_messages(case, message, block, step, tail, expected_block, mentioned):
    diagnosis, ids = _diagnose(message, block, step, tail)

    assert diagnosis.block_id == ids[expected_block]
    assert diagnosis.hint is not None and diagnosis.hint.startswith(_starts(case))
    assert mentioned in diagnosis.hint


def test_no_hint_for_an_ordinary_failure():
    diagnosis, ids = _diagnose('process "/bin/sh -c make" did not complete successfully: exit code: 2', 6)

    assert diagnosis.hint is None and diagnosis.block_id == ids[6]


def test_install_with_yes_is_not_blamed_on_the_question():
    doc = import_text("FROM debian:12\nRUN apt-get install -y curl\n")
    failure = Failure(
        "exit code: 100",
        "s",
        doc.blocks[1].id,
        "[2/2] RUN apt-get install -y curl",
        ("E: Unable to locate package curl",),
    )

    assert diagnose(failure, StepMapper(doc), render(doc), Path(".")).hint is None


def test_an_official_image_out_of_reach_is_named_as_people_write_it():
    doc = import_text("FROM alpine\nRUN true\n")
    message = (  # what BuildKit said here for FROM alpine, without internet
        "failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request: "
        'Head "https://registry-1.docker.io/v2/library/alpine/manifests/latest": dial tcp: lookup '
        "registry-1.docker.io on 10.255.255.53:53: no such host"
    )
    step = "[internal] load metadata for docker.io/library/alpine:latest"
    failure = Failure(message, "m", None, step, ())

    diagnosis = diagnose(failure, StepMapper(doc), render(doc), Path("."))

    assert diagnosis.block_id == doc.blocks[0].id and diagnosis.hint is not None
    assert diagnosis.hint.startswith(_starts("base_image_unreachable"))
    assert '"alpine:latest"' in diagnosis.hint and "library/" not in diagnosis.hint
