"""Saving is atomic and never loses the previous file; opening refuses what is not a plain project file."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Document, new_block
from desktop.dockerfile import import_text, render_text
from desktop.project import Project, ProjectFileError, backup_path, load_project, save_project, store
from desktop.project.jsontext import MAX_FILE_BYTES

POSIX = os.name == "posix"


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """The messages checked here are the English ones, whatever the language of the machine."""
    monkeypatch.setenv("LANGUAGE", "en")


def _project(command: str) -> Project:
    return Project(import_text(f"FROM alpine\nRUN {command}\n"), name=command)


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """A project file holding version "one"."""
    path = tmp_path / "app.dockblocks"
    save_project(_project("one"), path)
    return path


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_save_then_load_gives_the_project_back(saved: Path) -> None:
    loaded = load_project(saved)
    assert loaded.name == "one"
    assert render_text(loaded.document) == "FROM alpine\nRUN one\n"
    assert json.loads(saved.read_bytes())["format"] == "dockblocks"
    assert _leftovers(saved.parent) == []


def test_saving_again_keeps_the_previous_version_as_bak(saved: Path) -> None:
    first = saved.read_bytes()
    save_project(_project("two"), saved)
    assert backup_path(saved) == saved.with_name("app.dockblocks.bak")
    assert backup_path(saved).read_bytes() == first
    assert load_project(saved).name == "two"
    save_project(_project("three"), saved)
    assert load_project(backup_path(saved)).name == "two"  # one generation is kept
    assert _leftovers(saved.parent) == []


def test_no_backup_when_asked_or_for_a_new_file(tmp_path: Path, saved: Path) -> None:
    assert not backup_path(saved).exists()  # the first save has no previous version
    save_project(_project("two"), saved, keep_backup=False)
    assert not backup_path(saved).exists()


@pytest.mark.skipif(not POSIX, reason="permission bits are a POSIX notion")
def test_an_existing_file_keeps_its_permissions(saved: Path) -> None:
    saved.chmod(0o640)
    save_project(_project("two"), saved)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o640


@pytest.mark.skipif(not POSIX, reason="the umask is a POSIX notion")
def test_a_new_file_gets_the_permissions_new_files_get(tmp_path: Path) -> None:
    umask = os.umask(0o027)
    try:
        save_project(_project("one"), tmp_path / "new.dockblocks")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.dockblocks").stat().st_mode) == 0o640


@pytest.mark.skipif(not POSIX, reason="symbolic links need privileges on Windows")
def test_saving_through_a_symbolic_link_replaces_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    save_project(_project("one"), real / "app.dockblocks")
    link = tmp_path / "link.dockblocks"
    link.symlink_to(real / "app.dockblocks")
    save_project(_project("two"), link)
    assert link.is_symlink()
    assert load_project(real / "app.dockblocks").name == "two"


def test_a_fake_fault_in_the_final_rename_leaves_the_old_file_intact(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved.read_bytes()
    real_replace = os.replace

    def fake_rename_fault(source: Any, target: Any) -> None:
        if Path(target) == saved:
            raise OSError(errno.EIO, "Input/output error (a fake fault)")
        real_replace(source, target)

    monkeypatch.setattr(store.os, "replace", fake_rename_fault)
    with pytest.raises(ProjectFileError) as caught:
        save_project(_project("two"), saved)
    assert "the previous version of the file is unchanged" in caught.value.message
    assert "Input/output error" in caught.value.message
    assert saved.read_bytes() == before
    assert _leftovers(saved.parent) == []


def test_a_fake_full_disk_while_writing_leaves_the_old_file_intact(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved.read_bytes()
    real_open = open

    class HalfWritingFile:
        """A fake file that writes half of what it is given, then reports a full disk."""

        def __init__(self, path: Any, mode: str) -> None:
            self.stream = real_open(path, mode)

        def __enter__(self) -> HalfWritingFile:
            return self

        def __exit__(self, *exc: object) -> None:
            self.stream.close()

        def write(self, data: bytes) -> int:
            self.stream.write(data[: len(data) // 2])
            self.stream.flush()
            raise OSError(errno.ENOSPC, "No space left on device (a fake fault)")

    monkeypatch.setattr(store, "open", HalfWritingFile, raising=False)
    with pytest.raises(ProjectFileError) as caught:
        save_project(_project("two"), saved)
    assert "There is not enough free space" in caught.value.message
    assert saved.read_bytes() == before
    assert _leftovers(saved.parent) == []


def test_a_fake_fault_in_flushing_to_disk_leaves_the_old_file_intact(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved.read_bytes()

    def fake_fsync_fault(handle: int) -> None:
        raise OSError(errno.EROFS, "Read-only file system (a fake fault)")

    monkeypatch.setattr(store.os, "fsync", fake_fsync_fault)
    with pytest.raises(ProjectFileError) as caught:
        save_project(_project("two"), saved)
    assert "cannot be written to" in caught.value.message
    assert saved.read_bytes() == before
    assert _leftovers(saved.parent) == []


def test_a_project_that_is_not_valid_is_not_written(saved: Path) -> None:
    before = saved.read_bytes()
    broken = Project(Document([new_block(Kind.EXPOSE, ports=80)]))
    with pytest.raises(ProjectFileError) as caught:
        save_project(broken, saved)
    assert "could not be saved" in caught.value.message
    assert "document.blocks[0].params.ports must be a list of texts" in caught.value.message
    not_json = Project(run_settings={"when": object()})
    with pytest.raises(ProjectFileError):
        save_project(not_json, saved)
    assert saved.read_bytes() == before
    assert _leftovers(saved.parent) == []


def test_a_project_too_large_to_open_again_is_not_saved(tmp_path: Path) -> None:
    huge = Project(Document([new_block(Kind.COMMENT, text="x" * MAX_FILE_BYTES)]))
    with pytest.raises(ProjectFileError) as caught:
        save_project(huge, tmp_path / "huge.dockblocks")
    assert "so it was not saved" in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_saving_into_a_missing_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError) as caught:
        save_project(_project("one"), tmp_path / "gone" / "app.dockblocks")
    assert caught.value.message == (
        f"The folder {tmp_path / 'gone'} does not exist; choose another place to save the project."
    )


@pytest.mark.skipif(
    not Path("/proc/self").is_dir(), reason="needs Linux's /proc, a folder that takes no files"
)
def test_saving_into_a_folder_that_takes_no_files_says_so_not_that_it_is_gone() -> None:
    with pytest.raises(ProjectFileError) as caught:
        save_project(_project("one"), Path("/proc/app.dockblocks"))
    assert caught.value.message == "Files cannot be saved in /proc; choose another place to save the project."


def test_a_file_that_is_no_project_or_empty_says_so_and_a_kept_backup_is_offered(tmp_path: Path) -> None:
    junk, empty = tmp_path / "junk.dockblocks", tmp_path / "empty.dockblocks"
    junk.write_text("hello, this is a shopping list\n", encoding="utf-8")
    empty.write_bytes(b"")
    with pytest.raises(ProjectFileError) as caught:
        load_project(junk)
    assert caught.value.message.startswith("This is not a Dockblocks project file")
    assert ".bak" not in caught.value.message and "Expecting value" not in caught.value.message
    with pytest.raises(ProjectFileError) as caught:
        load_project(empty)
    assert caught.value.message == "This file is empty: it holds no project."
    # A project saved twice keeps the version before; damaged since, the message points to it.
    saved = tmp_path / "app.dockblocks"
    save_project(_project("one"), saved)
    save_project(_project("two"), saved)
    saved.write_text('{"format": "dockblocks", ', encoding="utf-8")
    with pytest.raises(ProjectFileError) as caught:
        load_project(saved)
    assert caught.value.message.endswith(
        "Its previous version is kept beside it as app.dockblocks.bak: open that one instead."
    )


@pytest.mark.skipif(not POSIX or os.geteuid() == 0, reason="needs POSIX permissions that apply (not root)")
def test_saving_over_a_read_only_file_is_refused(saved: Path) -> None:
    before = saved.read_bytes()
    saved.chmod(0o444)
    with pytest.raises(ProjectFileError) as caught:
        save_project(_project("two"), saved)
    assert "is not allowed to write" in caught.value.message
    assert saved.read_bytes() == before


def test_opening_a_missing_file_or_a_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError, match="There is no project file at"):
        load_project(tmp_path / "missing.dockblocks")
    with pytest.raises(ProjectFileError, match="is a folder, not a project file"):
        load_project(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_is_not_opened(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.dockblocks"
    os.mkfifo(pipe)
    with pytest.raises(ProjectFileError, match="is not an ordinary file"):
        load_project(pipe)  # opening it would wait for a writer forever


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.dockblocks"
    with open(path, "wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)  # sparse: large on paper, nothing written

    def fake_open_that_must_not_be_called(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened although its size is over the limit")

    monkeypatch.setattr(store, "open", fake_open_that_must_not_be_called, raising=False)
    with pytest.raises(ProjectFileError, match="more than the 20 MB a project file can be"):
        load_project(path)


def test_a_damaged_file_on_disk_names_its_line(saved: Path) -> None:
    lines = saved.read_text().splitlines()
    lines[3] = lines[3].rstrip(",")
    saved.write_text("\n".join(lines))
    with pytest.raises(ProjectFileError) as caught:
        load_project(saved)
    assert caught.value.line == 5
    assert caught.value.message.startswith("The project file is damaged at line 5")
