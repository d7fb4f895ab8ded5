"""Block summaries and explanations: plain words computed from the parameters, one line each."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.blocks.kinds import Kind
from desktop.blocks.model import new_block
from desktop.blocks.summary import COMMAND_LIMIT, explain_line, image_note, shorten, summarize
from desktop.dockerfile.importer import import_text

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures" / "dockerfiles").glob("*.Dockerfile"))


def _assert_one_clean_line(text: str) -> None:
    assert text.strip()
    assert "\n" not in text
    assert "{" not in text or "${" in text, text  # no template placeholder left unfilled


@pytest.mark.parametrize("kind", list(Kind))
def test_every_new_block_has_a_summary_and_an_explanation(kind):
    block = new_block(kind)
    _assert_one_clean_line(summarize(block))
    _assert_one_clean_line(explain_line(block))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_imported_block_has_a_short_summary(path):
    doc = import_text(path.read_text(encoding="utf-8"))
    for block in doc.blocks:
        summary = summarize(block, doc.stage_names())
        _assert_one_clean_line(summary)
        assert len(summary) <= 2 * COMMAND_LIMIT, summary
        _assert_one_clean_line(explain_line(block, doc.stage_names()))


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (new_block(Kind.FROM), "Start from an image — choose one"),
        (new_block(Kind.FROM, image="alpine"), "Start from the alpine image"),
        (
            new_block(Kind.FROM, image="alpine", tag="3.20", stage_name="build"),
            "Start from the alpine image, version 3.20, called 'build'",
        ),
        (
            new_block(Kind.FROM, image="python", platform="linux/arm64"),
            "Start from the python image, for linux/arm64",
        ),
        (new_block(Kind.FROM, image="scratch"), "Start from an empty image (scratch)"),
        (new_block(Kind.RUN, command="make"), "Run: make"),
        (new_block(Kind.RUN, form="exec", args=["make", "install"]), "Run: make install"),
        (new_block(Kind.RUN, form="exec", args=["echo", "a b"]), 'Run: ["echo", "a b"]'),
        (
            new_block(Kind.COPY, sources=["app.py", "requirements.txt"], dest="/app"),
            "Copy app.py, requirements.txt into /app",
        ),
        (
            new_block(Kind.COPY, sources=["/out/app"], dest="/usr/bin/", from_stage="build"),
            "Copy /out/app into /usr/bin/ from stage build",
        ),
        (
            new_block(Kind.ADD, sources=["https://example.com/a.tgz"], dest="/opt/"),
            "Download https://example.com/a.tgz into /opt/",
        ),
        (new_block(Kind.ADD, sources=["a.tgz"], dest="/opt/"), "Add a.tgz into /opt/"),
        (new_block(Kind.WORKDIR, path="/app"), "Go to folder /app (create it if needed)"),
        (new_block(Kind.CMD, form="exec", args=["python", "app.py"]), "When started, run: python app.py"),
        (new_block(Kind.CMD, form="shell", command="python app.py"), "When started, run: python app.py"),
        (new_block(Kind.ENTRYPOINT, args=["curl"]), "Always start the program: curl"),
        (new_block(Kind.EXPOSE, ports=["80"]), "Listens on port 80/tcp"),
        (new_block(Kind.EXPOSE, ports=["80", "53/udp"]), "Listens on ports 80/tcp, 53/udp"),
        (new_block(Kind.ENV, pairs=[["PORT", "8080"], ["DEBUG", "1"]]), "Set PORT=8080, DEBUG=1"),
        (new_block(Kind.LABEL, pairs=[["version", '"1.0"']]), 'Label: version="1.0"'),
        (
            new_block(Kind.ARG, args=[["VERSION", "1.0"], ["TARGET"]]),
            "Build argument VERSION (default 1.0), TARGET",
        ),
        (new_block(Kind.USER, user="app"), "Run as user app"),
        (new_block(Kind.VOLUME, paths=["/data"]), "Keep the data of /data in a volume"),
        (new_block(Kind.STOPSIGNAL, signal="SIGQUIT"), "To stop, send signal SIGQUIT"),
        (new_block(Kind.HEALTHCHECK, mode="NONE"), "Turn off the health check"),
        (new_block(Kind.HEALTHCHECK, command="curl -f http://x/"), "Check health with: curl -f http://x/"),
        (
            new_block(Kind.HEALTHCHECK, command="curl -f http://x/", interval="30s"),
            "Every 30s, check health with: curl -f http://x/",
        ),
        (
            new_block(Kind.ONBUILD, trigger=new_block(Kind.RUN, command="make")),
            "Later, when another image starts FROM this one: Run: make",
        ),
        (new_block(Kind.SHELL), "Run command lines with: /bin/sh -c"),
        (new_block(Kind.MAINTAINER, name="Ada"), "Author: Ada (old form, use a label)"),
        (new_block(Kind.COMMENT, text="Install the app\nsecond line"), "Install the app…"),
        (new_block(Kind.BLANK, count=1), "Blank line"),
        (new_block(Kind.BLANK, count=3), "3 blank lines"),
        (
            new_block(Kind.DIRECTIVE, name="syntax", value="docker/dockerfile:1"),
            "Parser setting: syntax = docker/dockerfile:1",
        ),
        (new_block(Kind.UNKNOWN, keyword="FOO", arguments="bar"), "Unknown instruction FOO"),
    ],
)
def test_summary(block, expected):
    assert summarize(block) == expected


def test_long_command_is_cut_at_its_first_line():
    command = "apt-get update && apt-get install -y --no-install-recommends curl ca-certificates git"
    summary = summarize(new_block(Kind.RUN, command=command + "\n&& rm -rf /var/lib/apt/lists/*"))
    assert summary.startswith("Run: apt-get update && apt-get install")
    assert summary.endswith("…")
    assert len(summary) <= len("Run: ") + COMMAND_LIMIT


def test_multi_line_command_shows_its_first_line():
    summary = summarize(new_block(Kind.RUN, command="apk add git \\\n  curl"))
    assert summary == "Run: apk add git \\…"


def test_heredoc_script_shows_its_first_line():
    block = new_block(Kind.RUN, command="<<EOF", heredocs=[["EOF", "set -e\napk add git\n", "EOF\n"]])
    assert summarize(block) == "Run a script: set -e…"


def test_from_a_stage_says_so():
    doc = import_text("FROM golang AS Build\nRUN go build\nFROM build\n")
    assert summarize(doc.blocks[2], doc.stage_names()) == "Continue from stage 'build'"
    assert "stage 'build'" in explain_line(doc.blocks[2], doc.stage_names())


@pytest.mark.parametrize(
    ("image", "note"),
    [
        ("alpine", "a tiny Linux, downloaded from Docker Hub"),
        ("docker.io/library/alpine:3.20", "a tiny Linux, downloaded from Docker Hub"),
        ("library/python@sha256:abc", "Linux with Python ready to run your code, downloaded from Docker Hub"),
        ("scratch", "an empty image: nothing at all"),
        ("ghcr.io/acme/alpine", ""),
        ("my-own-image", ""),
    ],
)
def test_image_note(image, note):
    assert image_note(image) == note


@pytest.mark.parametrize(
    "name", ["debian", "ubuntu", "python", "node", "nginx", "busybox", "golang", "scratch"]
)
def test_well_known_images_have_a_note(name):
    assert image_note(name)


def test_explain_line_teaches_about_the_concrete_block():
    assert (
        explain_line(new_block(Kind.FROM, image="alpine"))
        == "FROM alpine: start from the alpine image, a tiny Linux, downloaded from Docker Hub"
    )
    assert "Docker Hub" in explain_line(new_block(Kind.FROM, image="acme/tool"))
    assert explain_line(new_block(Kind.FROM, image="${BASE}")).startswith("FROM ${BASE}: ")
    assert explain_line(new_block(Kind.RUN, command="make")).startswith("RUN make: run this command")
    assert "from stage build" in explain_line(
        new_block(Kind.COPY, sources=["a"], dest="/b", from_stage="build")
    )
    assert explain_line(new_block(Kind.HEALTHCHECK, mode="NONE")).startswith("HEALTHCHECK NONE: turn off")
    assert explain_line(new_block(Kind.COMMENT, text="hello")).startswith("# hello: a note")
    assert explain_line(new_block(Kind.BLANK)).startswith("Blank line: ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("short", "short"),
        ("  padded  ", "padded"),
        ("x" * 70, "x" * 59 + "…"),
        ("first\nsecond", "first…"),
        ("echo Loading...\necho done", "echo Loading…"),  # one ellipsis, not "Loading...…"
        ("x" * 57 + " ." + "y" * 20, "x" * 57 + "…"),  # a cut before a space and a dot drops them
        ("", ""),
    ],
)
def test_shorten(text, expected):
    assert shorten(text) == expected
