"""desktop.paths finds the resources from a checkout, an installed wheel, a zip and a frozen bundle."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import paths

ROOT = Path(__file__).resolve().parents[2]
README = "README.txt"


@pytest.fixture
def fresh_root_cache() -> Iterator[None]:
    paths.resources_root.cache_clear()
    yield
    paths.resources_root.cache_clear()


def test_resources_found_from_the_checkout(fresh_root_cache: None) -> None:
    root = paths.resources_root()
    assert root == (ROOT / "resources").resolve()
    assert paths.resource_path(README).read_text() == (ROOT / "resources" / README).read_text()


def test_missing_resource_names_what_and_where() -> None:
    with pytest.raises(FileNotFoundError, match=r"no/such\.svg") as caught:
        paths.resource_path("no", "such.svg")
    assert str(paths.resources_root()) in str(caught.value)


@pytest.mark.parametrize("bad", ["../pyproject.toml", "/etc/passwd", "icons/../../x"])
def test_resource_paths_stay_inside(bad: str) -> None:
    with pytest.raises(ValueError, match="inside resources"):
        paths.resource_path(bad)


def test_frozen_bundle_without_the_package_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_root_cache: None
) -> None:
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / README).write_text("frozen")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setitem(sys.modules, "resources", None)  # the bundle holds the files but not the module
    assert paths.resources_root() == (tmp_path / "resources").resolve()
    assert paths.resource_path(README).read_text() == "frozen"


def test_resources_inside_a_zip_are_copied_to_a_real_folder(tmp_path: Path) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("resources/__init__.py", "")
        zipped.writestr(f"resources/{README}", "zipped")
        zipped.writestr("resources/icons/a.svg", "<svg/>")
    code = textwrap.dedent(
        f"""
        import sys
        sys.path[:0] = [{str(archive)!r}, {str(ROOT)!r}]
        from desktop.paths import resources_root, resource_path
        root = resources_root()
        assert root.is_dir() and not str(root).startswith({str(archive)!r}), root
        assert resource_path({README!r}).read_text() == "zipped"
        assert resource_path("icons", "a.svg").read_text() == "<svg/>"
        print("ok")
        """
    )
    result = subprocess.run([sys.executable, "-I", "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr


@pytest.mark.parametrize(
    ("platform", "environ", "data", "config"),
    [
        ("linux", {"HOME": "/home/ann"}, "/home/ann/.local/share/dockblocks", "/home/ann/.config/dockblocks"),
        (
            "linux",
            {"HOME": "/home/ann", "XDG_DATA_HOME": "/d", "XDG_CONFIG_HOME": "/c"},
            "/d/dockblocks",
            "/c/dockblocks",
        ),
        (  # relative XDG values are ignored, as the spec says
            "linux",
            {"HOME": "/home/ann", "XDG_DATA_HOME": "rel", "XDG_CONFIG_HOME": ""},
            "/home/ann/.local/share/dockblocks",
            "/home/ann/.config/dockblocks",
        ),
        (
            "darwin",
            {"HOME": "/Users/ann"},
            "/Users/ann/Library/Application Support/Dockblocks",
            "/Users/ann/Library/Application Support/Dockblocks",
        ),
        (
            "win32",
            {"USERPROFILE": "C:/Users/ann", "APPDATA": "C:/Users/ann/AppData/Roaming",
             "LOCALAPPDATA": "C:/Users/ann/AppData/Local"},
            "C:/Users/ann/AppData/Local/Dockblocks",
            "C:/Users/ann/AppData/Roaming/Dockblocks",
        ),
        ("win32", {"USERPROFILE": "C:/Users/ann"}, "C:/Users/ann/AppData/Local/Dockblocks",
         "C:/Users/ann/AppData/Roaming/Dockblocks"),
    ],
)  # fmt: skip
def test_user_dirs(platform: str, environ: dict[str, str], data: str, config: str) -> None:
    assert paths.user_data_dir(platform=platform, environ=environ) == Path(data)
    assert paths.user_config_dir(platform=platform, environ=environ) == Path(config)


def test_user_dirs_default_to_this_machine() -> None:
    assert paths.user_data_dir().is_absolute()
    assert paths.user_config_dir().is_absolute()


@pytest.mark.slow
@pytest.mark.timeout(280)
def test_resources_found_from_an_installed_wheel(tmp_path: Path) -> None:
    # Build from a copy: building in place would write build/ and *.egg-info into the shared checkout.
    source = tmp_path / "source"
    source.mkdir()
    for top_file in ROOT.iterdir():  # pyproject.toml and whatever it may name (README, LICENSE)
        if top_file.is_file() and not top_file.name.startswith("."):
            shutil.copy2(top_file, source)
    for package in ("desktop", "ui", "resources"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    _run([*pip, "wheel", "--no-deps", "--wheel-dir", str(tmp_path / "dist"), str(source)], timeout=240)
    (wheel,) = (tmp_path / "dist").glob("dockblocks-*.whl")

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    _run([*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)])

    probe = textwrap.dedent(
        f"""
        import json, sysconfig, desktop, desktop.paths as p
        root = p.resources_root()
        print(json.dumps({{
            "root": str(root), "purelib": sysconfig.get_paths()["purelib"], "desktop": desktop.__file__,
            "readme": p.resource_path({README!r}).read_text(), "version": desktop.__version__,
        }}))
        """
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    found = json.loads(_run([str(python), "-I", "-c", probe], cwd=outside))
    purelib = Path(found["purelib"]).resolve()
    assert Path(found["root"]) == purelib / "resources"
    assert Path(found["desktop"]).resolve().is_relative_to(purelib)
    assert found["readme"] == (ROOT / "resources" / README).read_text()
    assert found["version"] == "0.1.0"


def _run(args: list[str], cwd: Path | None = None, timeout: float = 120) -> str:
    # No PYTHONPATH & co: pip must neither see the checkout's install nor install anywhere but the new venv.
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTHON")}
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout
