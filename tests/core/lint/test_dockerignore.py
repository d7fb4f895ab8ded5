""".dockerignore as Docker reads it, and DB001 for files it leaves out of the build."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from desktop.dockerfile import import_text
from desktop.lint import lint_document, own_problems
from desktop.lint.dockerignore import DockerIgnore, read_dockerignore

POSIX_ESCAPES = pytest.mark.skipif(sys.platform == "win32", reason="on Windows a backslash separates folders")


@pytest.mark.parametrize(
    ("patterns", "path", "excluded"),
    [
        (["*.log"], "debug.log", True),
        (["*.log"], "logs/debug.log", False),  # * does not cross folders
        (["**/*.log"], "logs/deep/debug.log", True),
        (["**/*.log"], "debug.log", True),  # ** may be no folder at all
        (["node_modules"], "node_modules/left-pad/index.js", True),  # a folder covers what is inside
        (["/build"], "build/out.bin", True),  # a leading slash means the build folder
        (["./build/"], "build", True),
        (["secret?.txt"], "secret1.txt", True),
        (["secret?.txt"], "secret/.txt", False),
        (["file[0-9].txt"], "file7.txt", True),
        (["file[!0-9].txt"], "file7.txt", False),
        (["file[!0-9].txt"], "filex.txt", True),
        (["*", "!app.py"], "app.py", False),
        (["*", "!app.py"], "other.py", True),
        (["*", "!src", "src/*.pyc"], "src/a.pyc", True),
        (["*", "!src", "src/*.pyc"], "src/a.py", False),
        (["!app.py", "*"], "app.py", True),  # the last matching line decides
        (["# comment", "", "   "], "anything", False),
        (["docs/**"], "docs/a/b.md", True),
        (["a.b"], "aXb", False),  # a dot is a dot
        pytest.param(["a\\*b"], "a*b", True, marks=POSIX_ESCAPES),
        pytest.param(["a\\*b"], "axb", False, marks=POSIX_ESCAPES),
    ],
)
def test_patterns(patterns, path, excluded):
    assert DockerIgnore(patterns).excludes(path) is excluded


def test_no_file_means_nothing_is_left_out(tmp_path):
    ignore = read_dockerignore(tmp_path)
    assert not ignore
    assert not ignore.excludes("app.py")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("")
    (tmp_path / "app.py").write_text("")
    (tmp_path / "config.env").write_text("")
    (tmp_path / "notes.md").write_text("")
    (tmp_path / ".dockerignore").write_text("# keep the image small\n*.env\nsrc\n*.md\n!README.md\n")
    return tmp_path


def _db001(folder: Path, line: str) -> list[tuple[str, str]]:
    doc = import_text(f"FROM alpine:3.20\n{line}\n")
    return [(p.variant, p.fields["source"]) for p in own_problems(doc, folder, True) if p.code == "DB001"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("COPY app.py /app/", []),
        ("COPY . /app/", []),
        ("COPY config.env /app/", [("ignored", "config.env")]),
        ("COPY src/ /app/src/", [("ignored", "src/")]),
        ("COPY src/main.py /app/", [("ignored", "src/main.py")]),
        ("COPY *.md /docs/", [("ignored", "*.md")]),
        ("COPY *.py *.md /app/", [("ignored", "*.md")]),
        ("COPY missing.txt /app/", [("missing", "missing.txt")]),
    ],
)
def test_left_out_sources(folder, line, expected):
    assert _db001(folder, line) == expected


def test_left_out_wording(folder):
    report = lint_document(import_text("FROM alpine:3.20\nCOPY config.env /app/\n"), context_dir=folder)
    (finding,) = [f for f in report.findings if f.code == "DB001"]
    assert finding.message.startswith(
        f"config.env is in the build folder {folder.name}, but the .dockerignore"
    )
    assert "!config.env" in finding.message
