"""Starter templates: every bundled one lists, becomes a project, validates and lints without errors."""

from __future__ import annotations

import json
import os
import shutil
import struct
import time
from pathlib import Path

import pytest
from engine_harness import PrivateEngine

from desktop.blocks.kinds import Kind
from desktop.blocks.validate import validate_document
from desktop.dockerfile import render_text
from desktop.lint import Severity, lint_document
from desktop.lint.dockerignore import DockerIgnore, read_dockerignore
from desktop.templates import (
    TemplateError,
    default_dockerignore,
    describe_missing,
    find_program,
    is_static_elf,
    list_templates,
    load_template_document,
    materialize_template,
    missing_machine_files,
    template_info,
)

REQUIRED = {"python-alpine", "static-nginx", "node-app", "multi-stage", "offline-busybox"}
TEMPLATE_IDS = sorted(t.id for t in list_templates(locale="en"))


def no_program(_name: str) -> str | None:
    return None


def test_the_five_promised_templates_are_listed_in_their_order() -> None:
    templates = list_templates(locale="en")

    assert {t.id for t in templates} >= REQUIRED
    assert [t.order for t in templates] == sorted(t.order for t in templates)
    assert templates[0].id == "python-alpine"
    for template in templates:
        assert template.title.strip() and len(template.description) > 40
        assert template.icon is not None and template.icon.is_file()


def test_python_alpine_is_the_classic_tutorial_dockerfile_exactly() -> None:
    document = load_template_document("python-alpine")

    instructions = [line for line in render_text(document).splitlines() if line and not line.startswith("#")]

    assert instructions == [
        "FROM alpine",
        "RUN apk --no-cache add python3 py3-pip",
        "ADD . /app",
        "WORKDIR /app",
        'CMD ["python", "app.py"]',
    ]


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_template_becomes_a_project_that_validates_and_lints_without_errors(
    template_id: str, tmp_path: Path
) -> None:
    target = tmp_path / template_id

    project = materialize_template(template_id, target)

    assert project.context_dir == target
    assert [i for i in validate_document(project.document) if i.severity == "error"] == []
    report = lint_document(project.document, context_dir=project.context_dir, locale="en")
    assert report.hadolint_status.ok, report.hadolint_status
    errors = [f"{f.code} line {f.line}: {f.message}" for f in report.findings if f.severity is Severity.ERROR]
    assert errors == []
    # The blocks are the Dockerfile: every line of the template comes back byte for byte.
    info = template_info(template_id)
    assert render_text(project.document).encode() == (info.folder / "Dockerfile").read_bytes()


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_the_copy_holds_the_app_files_and_no_template_description(template_id: str, tmp_path: Path) -> None:
    info = template_info(template_id)
    target = tmp_path / "copy"

    materialize_template(template_id, target)

    copied = {p.relative_to(target).as_posix() for p in target.rglob("*")}
    shipped = {p.relative_to(info.folder).as_posix() for p in info.folder.rglob("*")}
    assert copied - {".dockerignore", *(m.name for m in info.machine_files)} == shipped - {
        "template.json",
        "icon.svg",
        "Dockerfile",
    }
    for path in target.rglob("*"):
        assert os.access(path, os.W_OK), f"{path} must be the user's to edit"


def test_copy_sources_exist_in_the_new_folder(tmp_path: Path) -> None:
    # DB001 (a COPY source missing from the build folder) is an error; the copy must satisfy every COPY.
    for template_id in TEMPLATE_IDS:
        project = materialize_template(template_id, tmp_path / template_id)
        report = lint_document(project.document, context_dir=project.context_dir, locale="en")
        assert [f for f in report.findings if f.code == "DB001"] == [], template_id


def test_a_default_dockerignore_keeps_clutter_and_secrets_out_but_not_the_app(tmp_path: Path) -> None:
    materialize_template("python-alpine", tmp_path / "p")
    rules = read_dockerignore(tmp_path / "p")

    assert (tmp_path / "p" / ".dockerignore").read_text(encoding="utf-8") == default_dockerignore()
    left_out = (
        ".git/config",
        ".env",
        "config/.env",
        "__pycache__/x.pyc",
        "lib/m.pyc",
        "node_modules/a/b.js",
        "web/node_modules/b.js",
        ".venv/bin/python",
        "debug.log",
        "logs/app.log",
        ".DS_Store",
        "site/.DS_Store",
        "app.dockblocks",
        "sub/app.dockblocks.bak",
    )
    for path in left_out:
        assert rules.excludes(path), path
    for kept in ("app.py", "Dockerfile", "site/index.html", "package.json", "server.js", "busybox"):
        assert not rules.excludes(kept), kept


def test_every_default_pattern_is_explained_by_a_comment() -> None:
    lines = default_dockerignore().splitlines()
    patterns = [line for line in lines if line and not line.startswith("#")]

    assert DockerIgnore(patterns)
    for index, line in enumerate(lines):
        if line and not line.startswith("#"):
            group_start = max(i for i in range(index + 1) if not lines[i].strip() or i == 0)
            assert any(lines[i].startswith("#") for i in range(group_start, index)), line


def test_materializing_into_a_folder_with_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")

    with pytest.raises(TemplateError) as caught:
        materialize_template("python-alpine", tmp_path)

    assert "not empty" in caught.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]


def test_an_empty_existing_folder_is_fine(tmp_path: Path) -> None:
    project = materialize_template("static-nginx", tmp_path)

    assert (tmp_path / "site" / "index.html").is_file()
    assert next(project.document.instructions()).kind is Kind.FROM


def test_unknown_and_sneaky_template_ids_are_refused(tmp_path: Path) -> None:
    for bad in ("no-such-template", "../templates", "", "python-alpine/../node-app"):
        with pytest.raises(TemplateError):
            materialize_template(bad, tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_offline_template_copies_a_static_busybox_from_this_computer(tmp_path: Path) -> None:
    busybox = find_program("busybox", static=True)
    if busybox is None:
        pytest.skip("no static busybox on this machine (apt-get install busybox-static)")
    info = template_info("offline-busybox")

    materialize_template("offline-busybox", tmp_path / "o")

    copied = tmp_path / "o" / "busybox"
    assert copied.read_bytes() == busybox.read_bytes()
    assert os.access(copied, os.X_OK)
    assert missing_machine_files(info, tmp_path / "o") == []


def test_without_busybox_the_offline_template_says_what_to_do(tmp_path: Path) -> None:
    info = template_info("offline-busybox", locale="en")

    project = materialize_template("offline-busybox", tmp_path / "o", which=no_program)

    missing = missing_machine_files(info, tmp_path / "o")
    assert [m.name for m in missing] == ["busybox"]
    message = describe_missing(missing[0], tmp_path / "o")
    assert str(tmp_path / "o") in message and "busybox-static" in message
    # The build folder check then points at the very block that needs the file.
    report = lint_document(project.document, context_dir=project.context_dir, locale="en")
    assert [f.code for f in report.findings if f.severity is Severity.ERROR] == ["DB001"]


def test_a_dynamically_linked_program_is_not_taken_for_an_empty_image(tmp_path: Path) -> None:
    dynamic = Path(shutil.which("python3") or "/bin/ls").resolve()

    assert not is_static_elf(dynamic)
    assert find_program("python3", static=True, which=lambda _n: str(dynamic)) is None
    assert find_program("python3", static=False, which=lambda _n: str(dynamic)) == dynamic


@pytest.mark.parametrize("bits", [32, 64])
def test_static_elf_detection_reads_the_program_headers(tmp_path: Path, bits: int) -> None:
    def elf(kinds: list[int]) -> bytes:
        if bits == 64:
            header = bytearray(64)
            header[:6] = b"\x7fELF\x02\x01"
            struct.pack_into("<Q", header, 32, 64)
            struct.pack_into("<HH", header, 54, 56, len(kinds))
            return bytes(header) + b"".join(struct.pack("<I", k) + bytes(52) for k in kinds)
        header = bytearray(52)
        header[:6] = b"\x7fELF\x01\x01"
        struct.pack_into("<I", header, 28, 52)
        struct.pack_into("<HH", header, 42, 32, len(kinds))
        return bytes(header) + b"".join(struct.pack("<I", k) + bytes(28) for k in kinds)

    (tmp_path / "static").write_bytes(elf([6, 1, 1, 4]))
    (tmp_path / "dynamic").write_bytes(elf([6, 3, 1, 1]))
    (tmp_path / "script").write_bytes(b"#!/bin/sh\necho hi\n" + bytes(64))

    assert is_static_elf(tmp_path / "static")
    assert not is_static_elf(tmp_path / "dynamic")
    assert not is_static_elf(tmp_path / "script")
    assert not is_static_elf(tmp_path / "missing")


def test_a_broken_template_folder_is_left_out_not_fatal(tmp_path: Path) -> None:
    good = tmp_path / "good"
    good.mkdir()
    (good / "template.json").write_text(json.dumps({"id": "good", "title": "Good", "description": "Fine."}))
    (good / "Dockerfile").write_text("FROM alpine\n")
    broken = {
        "broken": "{not json",
        "wrong-id": '{"id": "other", "title": "T", "description": "D"}',
        "no-title": '{"id": "no-title", "description": "D"}',
    }
    for name, content in broken.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "template.json").write_text(content)
    (tmp_path / "not-a-template").mkdir()

    assert [t.id for t in list_templates(tmp_path)] == ["good"]
    assert next(load_template_document("good", tmp_path).instructions()).kind is Kind.FROM


def test_a_template_with_a_broken_dockerfile_names_the_problem(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "template.json").write_text(json.dumps({"id": "bad", "title": "Bad", "description": "D."}))
    (folder / "Dockerfile").write_text("FROM alpine\nENV PATH\n")

    with pytest.raises(TemplateError) as caught:
        materialize_template("bad", tmp_path / "out", root=tmp_path)

    assert "Line 2" in caught.value.message
    assert not (tmp_path / "out").exists()


def test_a_translation_replaces_the_texts_it_has(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "template.json").write_text(
        json.dumps(
            {
                "id": "t",
                "title": "Hello",
                "description": "English words.",
                "machine_files": [{"name": "tool", "program": "tool", "missing": "Put a tool in {folder}."}],
            }
        )
    )
    (folder / "template.de.json").write_text(
        json.dumps({"title": "Hallo", "machine_files": {"tool": "Lege ein Werkzeug in {folder}."}})
    )

    german = list_templates(tmp_path, locale="de_DE.UTF-8")[0]
    english = list_templates(tmp_path, locale="en")[0]

    assert (german.title, german.description) == ("Hallo", "English words.")
    assert describe_missing(german.machine_files[0], Path("/x")) == "Lege ein Werkzeug in /x."
    assert english.title == "Hello"


@pytest.mark.engine
@pytest.mark.slow
def test_the_offline_template_builds_and_serves_with_no_registry(
    engine: PrivateEngine, engine_labels: dict[str, str], tmp_path: Path
) -> None:
    context = tmp_path / "offline"
    project = materialize_template("offline-busybox", context)
    (context / "Dockerfile").write_text(render_text(project.document), encoding="utf-8")
    tag = f"dockblocks-test/offline:{engine_labels['org.dockblocks.test.case']}"

    events = list(engine.api.build(path=str(context), tag=tag, labels=engine_labels, rm=True, decode=True))

    assert not [e for e in events if "errorDetail" in e], events
    container = engine.client.containers.run(tag, detach=True, labels=engine_labels)
    try:
        deadline = time.monotonic() + 20
        while True:
            code, output = container.exec_run(["wget", "-q", "-O", "-", "http://127.0.0.1:8080/"])
            if code == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert code == 0, output
        assert b"Built without internet!" in output
    finally:
        container.remove(force=True)
