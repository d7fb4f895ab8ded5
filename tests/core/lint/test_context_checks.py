"""DB001 (source missing from the build folder), DB005 (build folder missing) and DB002 (needs BuildKit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.dockerfile import import_text, render
from desktop.lint import Severity, lint_document, own_problems
from desktop.lint.context_checks import buildkit_features, source_present


@pytest.fixture
def build_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "myapp"
    (folder / "src" / "pkg").mkdir(parents=True)
    (folder / "app.py").write_text("print('hi')\n")
    (folder / "src" / "pkg" / "main.py").write_text("")
    (folder / "requirements.txt").write_text("flask==3.0.3\n")
    (folder / "my file.txt").write_text("")
    (folder / ".env.example").write_text("")
    return folder


def _missing(text: str, folder: Path) -> list[tuple[str, str]]:
    doc = import_text(text)
    return [(p.block_id, p.fields["source"]) for p in own_problems(doc, folder, True) if p.code == "DB001"]


@pytest.mark.parametrize(
    "line",
    [
        "COPY app.py /app/",
        "COPY ./app.py /app/",
        "COPY /app.py /app/",  # a leading slash still means the build folder
        "COPY ../app.py /app/",  # Docker cannot climb out of the build folder: this is app.py
        "COPY . /app/",
        "COPY src /app/src",
        "COPY src/ /app/src/",
        "COPY src/pkg/main.py /app/",
        "COPY *.py /app/",
        "COPY src/*/main.py /app/",
        "COPY requirement?.txt /app/",
        "COPY [a]pp.py /app/",
        "COPY .env.* /app/",
        'COPY ["my file.txt", "/app/"]',
        "ADD app.py requirements.txt /app/",
        "COPY --chown=1000:1000 --chmod=644 app.py /app/",
    ],
)
def test_present_sources_are_fine(line, build_folder):
    assert _missing(f"FROM alpine:3.20\n{line}\n", build_folder) == []


@pytest.mark.parametrize(
    "line",
    [
        "ADD https://example.com/tool.tar.gz /opt/",
        "ADD git@github.com:moby/buildkit.git /src",
        "ADD --checksum=sha256:0123 http://example.com/x /x",
        "COPY --from=build /out/app /usr/local/bin/",
        "COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/",
        "COPY $SRC /app/",
        "COPY ${SRC:-app.py} /app/",
        "COPY <<EOF /app/config.ini\n[main]\nEOF",
        "COPY <<-EOT /app/a.txt\n\thello\n\tEOT",
        "ONBUILD COPY nowhere.txt /app/",  # runs in a later build, in its own build folder
    ],
)
def test_sources_not_in_the_folder_by_nature_are_skipped(line, build_folder):
    assert _missing(f"FROM alpine:3.20\n{line}\n", build_folder) == []


def test_missing_source_is_reported_on_its_block(build_folder, block_id):
    doc = import_text("FROM alpine:3.20\nWORKDIR /app\nCOPY app.py requirments.txt ./\nCOPY src/ ./src/\n")
    report = lint_document(doc, context_dir=build_folder)
    found = [f for f in report.findings if f.code == "DB001"]
    assert len(found) == 1
    finding = found[0]
    copy_id = block_id(doc, "COPY app.py")
    assert finding.block_id == copy_id
    assert finding.line == render(doc).lines_of(copy_id).first == 3
    assert finding.severity is Severity.ERROR
    assert finding.message == "requirments.txt is not in the build folder myapp, so the build will stop here."
    assert "build folder" in finding.explanation
    assert finding.link == "https://docs.docker.com/build/concepts/context/"


def test_each_missing_source_is_one_finding(build_folder):
    assert [src for _b, src in _missing("FROM alpine:3.20\nCOPY a.txt app.py b.txt /x/\n", build_folder)] == [
        "a.txt",
        "b.txt",
    ]


def test_letter_case_matters(build_folder):
    if (build_folder / "APP.PY").exists():
        pytest.skip("this file system ignores letter case")
    assert [src for _b, src in _missing("FROM alpine:3.20\nCOPY App.py /app/\n", build_folder)] == ["App.py"]


def test_a_pattern_that_matches_nothing(build_folder):
    doc = import_text("FROM alpine:3.20\nCOPY *.js /app/\n")
    report = lint_document(doc, context_dir=build_folder)
    found = [f for f in report.findings if f.code == "DB001"]
    assert [f.message for f in found] == [
        "Nothing in the build folder myapp matches *.js, so the build will stop here."
    ]


def test_a_file_named_like_a_folder_path_is_not_a_folder(build_folder):
    # app.py is a file, so app.py/ (a folder of that name) does not exist.
    assert _missing("FROM alpine:3.20\nCOPY app.py/x /app/\n", build_folder) != []


def test_no_build_folder_means_no_source_check():
    doc = import_text("FROM alpine:3.20\nCOPY nothing-here.txt /app/\n")
    assert [p for p in own_problems(doc, None, True) if p.code in ("DB001", "DB005")] == []


def test_a_build_folder_that_does_not_exist(tmp_path):
    gone = tmp_path / "gone"
    doc = import_text("FROM alpine:3.20\nCOPY app.py /app/\nCOPY b.py /app/\n")
    report = lint_document(doc, context_dir=gone)
    assert [f.code for f in report.findings if f.code.startswith("DB00") and f.code != "DB000"] == ["DB005"]
    finding = report.for_document()[0]
    assert finding.block_id is None and finding.line is None
    assert str(gone) in finding.message


def test_source_present_for_the_folder_itself(build_folder):
    assert source_present(build_folder, ".")
    assert source_present(build_folder, "./")
    assert not source_present(build_folder, "nope/")


# --- DB002 -----------------------------------------------------------------------------------------

NEEDS_BUILDKIT = [
    ("RUN --mount=type=cache,target=/root/.cache pip install flask==3.0.3", ["--mount"]),
    ("RUN --network=none make", ["--network"]),
    ("RUN --security=insecure make", ["--security"]),
    ("COPY --chmod=755 app.py /app/", ["--chmod"]),
    ("COPY --link app.py /app/", ["--link"]),
    ("COPY --parents src/pkg/main.py /app/", ["--parents"]),
    ("COPY --exclude=*.pyc src /app/", ["--exclude"]),
    ("ADD --checksum=sha256:abc https://example.com/x /x", ["--checksum"]),
    ("ADD --keep-git-dir=true https://github.com/moby/buildkit.git /src", ["--keep-git-dir"]),
    ("ADD --chmod=644 --link app.py /app/", ["--chmod", "--link"]),
    ("RUN <<EOF\necho hi\nEOF", ["<<EOF"]),
    ("COPY <<CONF /etc/app.conf\nkey=value\nCONF", ["<<CONF"]),
    ("RUN --mount=type=secret,id=token <<EOF\ncat /run/secrets/token\nEOF", ["--mount", "<<EOF"]),
]
CLASSIC_IS_FINE = [
    "COPY --chown=1000:1000 app.py /app/",
    "COPY --chown=$USER:$GROUP app.py /app/",
    "ADD --chown=app app.py /app/",
    "COPY --from=build /out /out",
    "RUN echo hi",
    'RUN ["sh", "-c", "cat <<EOF"]',  # the exec form has no heredocs
]


@pytest.mark.parametrize(("line", "features"), NEEDS_BUILDKIT)
def test_buildkit_features_are_named(line, features):
    doc = import_text(f"FROM alpine:3.20 AS build\n{line}\n")
    assert buildkit_features(doc.blocks[1]) == features


@pytest.mark.parametrize("line", CLASSIC_IS_FINE)
def test_classic_builder_features_are_fine(line):
    doc = import_text(f"FROM alpine:3.20 AS build\n{line}\n")
    assert [p for p in own_problems(doc, None, False) if p.code == "DB002"] == []


@pytest.mark.parametrize(
    ("available", "severity", "wording"),
    [
        (None, Severity.INFO, "works only when the engine builds with BuildKit"),
        (False, Severity.ERROR, "without"),
    ],
)
def test_buildkit_severity_follows_what_we_know(available, severity, wording, block_id):
    doc = import_text(
        "FROM alpine:3.20\nRUN --mount=type=cache,target=/c echo hi\nCOPY --chmod=755 --link a /a\n"
    )
    report = lint_document(doc, buildkit_available=available)
    found = [f for f in report.findings if f.code == "DB002"]
    assert [f.block_id for f in found] == [block_id(doc, "RUN --mount"), block_id(doc, "COPY --chmod")]
    assert {f.severity for f in found} == {severity}
    assert all(wording in f.message for f in found)
    assert found[1].message.startswith("COPY uses --chmod, --link, ")


def test_buildkit_available_means_no_buildkit_findings():
    doc = import_text("FROM alpine:3.20\nRUN --mount=type=cache,target=/c echo hi\nRUN <<EOF\necho\nEOF\n")
    assert [p for p in own_problems(doc, None, True) if p.code == "DB002"] == []
