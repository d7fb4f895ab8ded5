"""The dockblocks command line: import, render, lint, exit codes and one-sentence errors."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from desktop.cli import EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, main

DOCKERFILE = (
    "FROM alpine:3.20\n"
    "RUN apk add --no-cache python3 \\\n"
    "    py3-pip\n"
    "COPY app.py /app/\n"
    'CMD ["python3", "/app/app.py"]\n'
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "app.py").write_text("print('hello')\n")
    return tmp_path


def test_import_then_render_gives_the_dockerfile_back(
    folder: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    project = folder / "app.dockblocks"
    assert main(["import", str(folder / "Dockerfile"), "-o", str(project)]) == EXIT_OK
    assert json.loads(project.read_text())["format"] == "dockblocks"
    capsysbinary.readouterr()
    assert main(["render", str(project)]) == EXIT_OK
    assert capsysbinary.readouterr().out == DOCKERFILE.encode()
    out = folder / "Dockerfile.out"
    assert main(["render", str(project), "-o", str(out)]) == EXIT_OK
    assert out.read_text() == DOCKERFILE


def test_import_refuses_to_overwrite_without_force(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = folder / "app.dockblocks"
    project.write_text("precious")
    assert main(["import", str(folder / "Dockerfile"), "-o", str(project)]) == EXIT_UNREADABLE
    assert "already exists" in capsys.readouterr().err
    assert project.read_text() == "precious"
    assert main(["import", str(folder / "Dockerfile"), "-o", str(project), "--force"]) == EXIT_OK


def test_lint_exit_codes_and_json(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(folder / "Dockerfile"), "--json"]) == EXIT_FINDINGS  # python3 unpinned: DL3018
    report = json.loads(capsys.readouterr().out)
    assert report["hadolint"]["state"] == "ok"
    codes = {f["code"]: f for f in report["findings"]}
    assert codes["DL3018"]["line"] == 2 and codes["DL3018"]["block_kind"] == "RUN"
    assert codes["DL3018"]["explanation"]
    clean = folder / "clean"
    clean.write_text('FROM scratch\nCOPY app.py /app.py\nCMD ["/app.py"]\n')
    assert main(["lint", str(clean), "--context", str(folder)]) == EXIT_OK


def test_lint_human_output_names_file_line_and_rule(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["lint", str(folder / "Dockerfile")])
    out = capsys.readouterr().out
    assert f"{folder / 'Dockerfile'}:2: warning DL3018:" in out
    assert "More: https://github.com/hadolint/hadolint/wiki/DL3018" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["render", "missing.dockblocks"], "missing.dockblocks"),
        (["import", "missing", "-o", "x.dockblocks"], "There is no file missing"),
        (["lint", "broken"], "ENV X needs a value"),
        (["render", "damaged.dockblocks"], "damaged at line"),
    ],
)
def test_errors_are_one_sentence_on_stderr(
    argv: list[str],
    expected: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken").write_text("FROM a\nENV X\n")
    (tmp_path / "damaged.dockblocks").write_text('{"format":\n')
    assert main(argv) == EXIT_UNREADABLE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("dockblocks: ") and expected in captured.err
    assert "Traceback" not in captured.err and captured.err.count("\n") == 1


def test_help_prints_commands_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == EXIT_OK
    out = capsys.readouterr().out
    assert "exit codes:" in out and "import" in out and "lint" in out and "window" in out


class _FakeGui(types.ModuleType):
    """Stands in for ui.app: the core tests run without Qt, and no window may open here."""

    def __init__(self, problem: str | None = None) -> None:
        super().__init__("ui.app")
        self.problem = problem
        self.calls: list[tuple[list[str], bool]] = []
        self.projects: list[Path | None] = []
        self.collecting: list[bool] = []  # whether Python's automatic collector was on at each main()

    def launch_problem(self) -> str | None:
        return self.problem

    def main(self, argv: list[str], smoke_test: bool = False, project: Path | None = None) -> int:
        self.calls.append((list(argv), smoke_test))
        self.projects.append(project)
        self.collecting.append(gc.isenabled())
        return 0


def test_no_command_opens_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    gui = _FakeGui()
    monkeypatch.setitem(sys.modules, "ui.app", gui)
    assert main([]) == EXIT_OK
    assert main(["--smoke-test"]) == EXIT_OK
    assert [smoke for _argv, smoke in gui.calls] == [False, True]
    assert all(len(argv) == 1 for argv, _smoke in gui.calls)  # only the program name reaches Qt
    assert gui.projects == [None, None]


def test_the_window_starts_without_the_automatic_collector_and_gives_it_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The window's imports and set-up run without Python's automatic collection (the window collects
    on its own timer, ui.gc_guard); the collector is on again once the window is closed, or could not
    open, unless it was off before."""
    was_on = gc.isenabled()  # a window made by an earlier test of this session may have turned it off
    gc.enable()
    try:
        gui = _FakeGui()
        monkeypatch.setitem(sys.modules, "ui.app", gui)
        assert main([]) == EXIT_OK
        assert gui.collecting == [False] and gc.isenabled()
        no_screen = _FakeGui(problem="There is no screen to open the window on.")
        monkeypatch.setitem(sys.modules, "ui.app", no_screen)
        assert main([]) == EXIT_UNREADABLE
        assert gc.isenabled()
        gc.disable()  # someone who turned it off keeps it off
        assert main([]) == EXIT_UNREADABLE and not gc.isenabled()
    finally:
        gc.enable() if was_on else gc.disable()


def test_a_project_alone_opens_the_window_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a double-clicked file runs: the Windows installer's association and the .desktop file's %f."""
    gui = _FakeGui()
    monkeypatch.setitem(sys.modules, "ui.app", gui)
    assert main(["lessons/My App.dockblocks"]) == EXIT_OK
    assert main(["C:/Users/x/APP.DOCKBLOCKS", "--smoke-test"]) == EXIT_OK
    assert gui.projects == [Path("lessons/My App.dockblocks"), Path("C:/Users/x/APP.DOCKBLOCKS")]
    assert [smoke for _argv, smoke in gui.calls] == [False, True]


def test_no_screen_is_one_sentence_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    gui = _FakeGui(problem="There is no screen to open the window on.")
    monkeypatch.setitem(sys.modules, "ui.app", gui)
    assert main([]) == EXIT_UNREADABLE
    assert not gui.calls
    assert capsys.readouterr().err == "dockblocks: There is no screen to open the window on.\n"


def test_missing_qt_is_one_sentence_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "ui.app", None)  # importing it now raises ImportError
    assert main([]) == EXIT_UNREADABLE
    err = capsys.readouterr().err
    assert "Qt libraries could not be loaded" in err and "Traceback" not in err and err.count("\n") == 1


def test_the_module_runs_as_a_program(folder: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "lint", str(folder / "Dockerfile"), "--json"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
        timeout=60,
        check=False,
    )
    assert done.returncode == EXIT_FINDINGS, done.stderr
    assert json.loads(done.stdout)["findings"]
