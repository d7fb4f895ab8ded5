"""The Windows and macOS installer scripts and the CI workflow, checked here where their platforms are not.

What can be run on Linux is run (shellcheck, the dmgbuild settings executed as dmgbuild does, the scripts'
refusals, the CI signing helper without secrets); the rest is read the way its tool reads it (the workflow
as YAML 1.1 like GitHub, the Inno Setup script through its preprocessor's defines, the entitlements with
plistlib) and compared with what the project says elsewhere (pyproject's name and version, the project
file suffix).
"""

from __future__ import annotations

import fnmatch
import os
import plistlib
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from desktop.project import SUFFIX

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
WORKFLOW = ROOT / ".github" / "workflows" / "installers.yml"
ISS = PACKAGING / "windows" / "dockblocks.iss"
BUILD_PS1 = PACKAGING / "windows" / "build.ps1"
MACOS = PACKAGING / "macos"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
VERSION: str = PROJECT["version"]


def _shellcheck() -> str:
    found = shutil.which("shellcheck")
    if found:
        return found
    message = "shellcheck is not installed (./run-tests installs it as root: apt-get install shellcheck)"
    if os.geteuid() == 0 and shutil.which("apt-get"):
        pytest.fail(message, pytrace=False)  # where run-tests installs it, missing it is a failure
    pytest.skip(message)


# --------------------------------------------------------------------------------------- the CI workflow


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1, which GitHub also reads, makes the bare key `on` the boolean True.
    triggers = workflow.get("on", workflow.get(True))
    assert isinstance(triggers, dict)
    return triggers


def _steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    steps = workflow["jobs"][job]["steps"]
    assert isinstance(steps, list)
    return steps


def _platform_steps(workflow: dict[Any, Any], runner_os: str) -> list[dict[str, Any]]:
    return [step for step in _steps(workflow, "build") if f"runner.os == '{runner_os}'" in step.get("if", "")]


def test_workflow_builds_on_linux_windows_and_macos_with_python_311(workflow: dict[Any, Any]) -> None:
    build = workflow["jobs"]["build"]
    runners = {entry["platform"]: entry["os"] for entry in build["strategy"]["matrix"]["include"]}
    assert set(runners) == {"linux", "windows", "macos"}
    assert runners["linux"].startswith(("ubuntu-", "debian"))
    assert runners["windows"].startswith("windows-")
    assert runners["macos"].startswith("macos-")
    assert build["runs-on"] == "${{ matrix.os }}"
    setup_python = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert str(setup_python["with"]["python-version"]) == "3.11"
    assert any('".[packaging]"' in step.get("run", "") for step in build["steps"])
    builds = {
        "Linux": "packaging/linux/build-packages.sh",
        "Windows": "packaging/windows/build.ps1",
        "macOS": "packaging/macos/build.sh",
    }
    for runner_os, script in builds.items():
        assert any(script in step.get("run", "") for step in _platform_steps(workflow, runner_os)), runner_os
        assert (ROOT / script).is_file() or runner_os == "Linux"  # the Linux script is the other half's


def test_workflow_smoke_tests_each_built_artifact_offscreen(workflow: dict[Any, Any]) -> None:
    assert workflow["jobs"]["build"]["env"]["QT_QPA_PLATFORM"] == "offscreen"
    expected = {
        "Linux": ["/usr/bin/dockblocks --smoke-test", "debian:bookworm", "tar -xzf"],
        "Windows": ["'--smoke-test'", "unins000.exe", ".dockblocks"],
        "macOS": ["packaging/macos/smoke-test-dmg.sh dist/"],
    }
    for runner_os, fragments in expected.items():
        smoke = [s for s in _platform_steps(workflow, runner_os) if "smoke test" in s["name"].lower()]
        assert len(smoke) == 1, runner_os
        for fragment in fragments:
            assert fragment in smoke[0]["run"], (runner_os, fragment)
    dmg_check = (MACOS / "smoke-test-dmg.sh").read_text(encoding="utf-8")
    assert "QT_QPA_PLATFORM=offscreen" in dmg_check
    assert "--smoke-test" in dmg_check


def test_workflow_keeps_the_artifacts_each_build_makes(workflow: dict[Any, Any]) -> None:
    build = _steps(workflow, "build")
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-artifact"))
    patterns = [Path(line).name for line in upload["with"]["path"].split()]
    assert upload["with"]["if-no-files-found"] == "error"
    iss = _preprocessed_setup()
    made = [
        f"dockblocks_{VERSION}_amd64.deb",  # the fixed names of packaging/linux/build-packages.sh
        f"dockblocks-{VERSION}-linux-x86_64.tar.gz",
        iss["OutputBaseFilename"] + ".exe",
        f"Dockblocks-{VERSION}-macos-arm64.dmg",
    ]
    for name in made:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name
    build_sh = (MACOS / "build.sh").read_text(encoding="utf-8")
    assert 'DMG="dist/Dockblocks-$VERSION-macos-$ARCH.dmg"' in build_sh


def test_workflow_publishes_a_release_only_for_version_tags(workflow: dict[Any, Any]) -> None:
    triggers = _triggers(workflow)
    assert triggers["push"]["tags"] == ["v*"]
    assert workflow["permissions"] == {"contents": "read"}  # only the publishing job may write
    publish = workflow["jobs"]["publish"]
    assert publish["needs"] == "build"
    assert publish["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert publish["permissions"] == {"contents": "write"}
    uses = [step.get("uses", "") for step in publish["steps"]]
    assert any(use.startswith("softprops/action-gh-release@") for use in uses)
    assert any(use.startswith("actions/download-artifact@") for use in uses)
    assert any('"v$version"' in step.get("run", "") for step in publish["steps"])


def test_workflow_secrets_are_optional(workflow: dict[Any, Any]) -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    names = set(re.findall(r"secrets\.([A-Z0-9_]+)", text))
    assert names, "the macOS signing secrets are passed to the build"
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            assert "secrets." not in step.get("if", ""), "a step must not depend on a secret's presence"
            for name, value in step.get("env", {}).items():
                if "secrets." in str(value):
                    assert value == f"${{{{ secrets.{name} }}}}"  # passed through under its own name
    build_sh = (MACOS / "build.sh").read_text(encoding="utf-8") + (MACOS / "ci-signing-setup.sh").read_text(
        encoding="utf-8"
    )
    for name in names:
        assert f"${{{name}:-}}" in build_sh, f"{name} must be optional in the macOS scripts"


def test_workflow_shell_steps_pass_shellcheck(workflow: dict[Any, Any], tmp_path: Path) -> None:
    shellcheck = _shellcheck()
    scripts = []
    for job_name, job in workflow["jobs"].items():
        for index, step in enumerate(job["steps"]):
            if "run" not in step or step.get("shell") == "pwsh":
                continue
            # GitHub replaces ${{ ... }} before the shell sees the text; a plain word stands in for it here.
            body = re.sub(r"\$\{\{.*?\}\}", "EXPRESSION", step["run"])
            script = tmp_path / f"{job_name}-{index}.sh"
            script.write_text("#!/usr/bin/env bash\nset -eo pipefail\n" + body, encoding="utf-8")
            scripts.append(script)
    assert len(scripts) >= 6
    result = subprocess.run([shellcheck, *map(str, scripts)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


# ------------------------------------------------------------------------------------------ shell scripts


def _shell_scripts() -> list[Path]:
    return sorted(PACKAGING.rglob("*.sh"))


def test_the_macos_shell_scripts_are_bash_programs() -> None:
    names = {path.relative_to(PACKAGING).as_posix() for path in _shell_scripts()}
    mine = {"macos/build.sh", "macos/smoke-test-dmg.sh", "macos/ci-signing-setup.sh"}
    assert mine <= names
    for name in mine:
        script = PACKAGING / name
        assert script.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")
        assert os.access(script, os.X_OK), f"{script} is not executable"


@pytest.mark.parametrize("script", _shell_scripts(), ids=lambda path: path.relative_to(PACKAGING).as_posix())
def test_shell_script_passes_shellcheck(script: Path) -> None:
    result = subprocess.run(
        [_shellcheck(), "--external-sources", str(script)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_macos_build_refuses_to_run_on_linux_and_says_why() -> None:
    result = subprocess.run(
        ["bash", str(MACOS / "build.sh")], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 1
    assert "run it on a Mac" in result.stderr


def test_dmg_smoke_test_needs_a_disk_image() -> None:
    result = subprocess.run(
        ["bash", str(MACOS / "smoke-test-dmg.sh")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stderr.startswith("usage: smoke-test-dmg.sh")


def test_ci_signing_setup_without_secrets_signs_ad_hoc(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MACOS_", "GITHUB_ENV"))}
    env["RUNNER_TEMP"] = str(tmp_path)
    result = subprocess.run(
        ["bash", str(MACOS / "ci-signing-setup.sh")], capture_output=True, text=True, check=False, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "signed ad hoc" in result.stdout
    assert list(tmp_path.iterdir()) == []  # no keychain, no key file


# ------------------------------------------------------------------------------------- Windows: Inno Setup


def _numeric_version(version: str) -> str:
    """What build.ps1 passes as NumericVersion, with the regular expression it uses (read from it)."""
    found = re.search(r"\[regex\]::Match\(\$Version, '([^']+)'\)", BUILD_PS1.read_text(encoding="utf-8"))
    assert found, "build.ps1 derives NumericVersion with [regex]::Match"
    match = re.match(found.group(1), version)
    assert match
    return match.group(0)


def _preprocess(text: str, defines: dict[str, str]) -> list[str]:
    """The lines ISCC compiles after its preprocessor: #ifndef/#endif, #define, #error and {#Name}."""
    lines: list[str] = []
    skipping: list[bool] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#ifndef "):
            skipping.append(line.split()[1] in defines)
        elif line == "#endif":
            skipping.pop()
        elif any(skipping):
            continue
        elif line.startswith("#error"):
            raise AssertionError(f"ISCC would stop: {line}")
        elif line.startswith("#define "):
            name, _, value = line[len("#define ") :].partition(" ")
            value = value.strip()
            defines[name] = value[1:-1] if value.startswith('"') else defines.get(value, value)
        else:
            lines.append(re.sub(r"\{#(\w+)\}", lambda m: defines[m.group(1)], raw))
    assert not skipping, "an #ifndef without #endif"
    return lines


def _sections(lines: list[str]) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith(";"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped[1:-1]
            sections[current] = []
        else:
            sections[current].append(stripped)
    return sections


def _compiled_iss() -> dict[str, list[str]]:
    defines = {"AppVersion": VERSION, "NumericVersion": _numeric_version(VERSION)}
    return _sections(_preprocess(ISS.read_text(encoding="utf-8"), defines))


def _preprocessed_setup() -> dict[str, str]:
    return dict(line.split("=", 1) for line in _compiled_iss()["Setup"])


def _entries(section: list[str]) -> list[dict[str, str]]:
    """Inno's `Key: value; Key: "quoted; value"` lines as dicts (quotes removed, "" kept as ")."""
    entries = []
    for line in section:
        fields = re.findall(r'(\w+):\s*("(?:[^"]|"")*"|[^;]*)', line)
        entries.append(
            {
                key: value.strip()[1:-1].replace('""', '"')
                if value.strip().startswith('"')
                else value.strip()
                for key, value in fields
            }
        )
    return entries


def test_inno_setup_version_and_name_come_from_pyproject() -> None:
    setup = _preprocessed_setup()
    assert setup["AppName"].lower() == PROJECT["name"]
    assert setup["AppVersion"] == VERSION
    assert setup["VersionInfoVersion"] == _numeric_version(VERSION)
    assert re.fullmatch(r"\d+(\.\d+){0,3}", setup["VersionInfoVersion"])
    assert VERSION in setup["OutputBaseFilename"]
    assert setup["DefaultDirName"] == r"{autopf}\Dockblocks"
    assert "dialog" in setup["PrivilegesRequiredOverridesAllowed"].split()
    assert setup["ChangesAssociations"] == "yes"
    assert re.fullmatch(r"\{\{[0-9A-F-]{36}\}", setup["AppId"])  # a fixed id: upgrades replace, not add
    assert setup["SetupIconFile"].endswith(r"build\pyinstaller\icons\dockblocks.ico")


def test_inno_setup_fails_without_a_version() -> None:
    with pytest.raises(AssertionError, match="build with packaging"):
        _preprocess(ISS.read_text(encoding="utf-8"), {})


def test_inno_setup_associates_dockblocks_projects() -> None:
    registry = _entries(_compiled_iss()["Registry"])
    extension = rf"Software\Classes\{SUFFIX}"
    assert SUFFIX == ".dockblocks"
    prog_id = next(e["ValueData"] for e in registry if e["Subkey"] == extension and e["ValueName"] == "")
    command = next(e for e in registry if e["Subkey"] == rf"Software\Classes\{prog_id}\shell\open\command")
    assert command["ValueData"] == r'"{app}\dockblocks.exe" "%1"'
    assert all(e["Root"] == "HKA" for e in registry)  # HKLM for everyone, HKCU for a per-user install
    own_key = rf"Software\Classes\{prog_id}"
    assert any(e["Subkey"] == own_key and "uninsdeletekey" in e["Flags"] for e in registry)


def test_inno_setup_start_menu_desktop_icon_and_files() -> None:
    iss = _compiled_iss()
    icons = _entries(iss["Icons"])
    assert any(icon["Name"] == r"{autoprograms}\Dockblocks" for icon in icons)
    desktop = next(icon for icon in icons if icon["Name"].startswith("{autodesktop}"))
    assert desktop["Tasks"] == "desktopicon"
    task = next(task for task in _entries(iss["Tasks"]) if task["Name"] == "desktopicon")
    assert task["Flags"] == "unchecked"  # optional, off unless asked for
    files = _entries(iss["Files"])
    assert any("recursesubdirs" in f["Flags"] and f["DestDir"] == "{app}" for f in files)


def test_windows_build_script_runs_its_steps_in_order() -> None:
    text = BUILD_PS1.read_text(encoding="utf-8")
    text = text[text.index("[CmdletBinding()]") :]  # the code, after the help text that lists the steps
    steps = [
        "tomllib.load(open('pyproject.toml', 'rb'))['project']['version']",
        "'import pywintypes, win32file, win32pipe'",
        "'--distpath', 'dist', '--workpath', 'build\\pyinstaller', 'packaging\\pyinstaller\\dockblocks.spec'",
        "-Filter 'pywintypes3*.dll'",
        "$env:QT_QPA_PLATFORM = 'offscreen'",
        "-ArgumentList '--smoke-test' -Wait -PassThru",
        "if ($Smoke.ExitCode -ne 0) { throw",
        '"/DAppVersion=$Version"',
        '"/DNumericVersion=$NumericVersion"',
        "packaging\\windows\\dockblocks.iss",
    ]
    positions = [text.find(step) for step in steps]
    assert -1 not in positions, [step for step, at in zip(steps, positions, strict=True) if at == -1]
    assert positions == sorted(positions)
    assert "$ErrorActionPreference = 'Stop'" in text


@pytest.mark.skipif(shutil.which("pwsh") is None, reason="PowerShell (pwsh) is not installed here")
def test_windows_build_script_parses_in_powershell() -> None:
    command = (
        "$errors = $null; [System.Management.Automation.Language.Parser]::ParseFile("
        f"'{BUILD_PS1}', [ref]$null, [ref]$errors) | Out-Null; exit $errors.Count"
    )
    assert subprocess.run(["pwsh", "-NoProfile", "-Command", command], check=False).returncode == 0


def test_numeric_version_keeps_only_the_leading_numbers() -> None:
    assert _numeric_version("0.1.0") == "0.1.0"
    assert _numeric_version("0.2.0rc1") == "0.2.0"
    assert _numeric_version("1.2.3.4.5") == "1.2.3.4"


def test_pywin32_is_a_windows_dependency_and_dmgbuild_a_macos_packaging_one() -> None:
    windows_only = [dep for dep in PROJECT["dependencies"] if dep.replace(" ", "").startswith("pywin32")]
    assert windows_only == ["pywin32>=306; sys_platform == 'win32'"]
    packaging = PROJECT["optional-dependencies"]["packaging"]
    assert "dmgbuild>=1.6; sys_platform == 'darwin'" in packaging
    assert any(dep.startswith("pyinstaller") for dep in packaging)


# ----------------------------------------------------------------------------------------------- macOS


def _run_dmg_settings(defines: dict[str, str]) -> dict[str, Any]:
    """Executes dmg_settings.py the way dmgbuild's load_settings does: one dict as globals and locals,
    holding dmgbuild's defaults and the -D defines."""
    path = MACOS / "dmg_settings.py"
    options: dict[str, Any] = {"filename": "out.dmg", "volume_name": "Dockblocks", "defines": defines}
    options.update(DMGBUILD_DEFAULTS)
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), options, options)
    return options


# The settings dmgbuild reads (its documentation's list); a name outside it would be silently ignored.
DMGBUILD_DEFAULTS: dict[str, Any] = {
    "format": "UDBZ",
    "filesystem": "HFS+",
    "compression_level": None,
    "size": None,
    "files": [],
    "symlinks": {},
    "hide": [],
    "hide_extensions": [],
    "icon": None,
    "badge_icon": None,
    "background": None,
    "show_status_bar": False,
    "show_tab_view": False,
    "show_toolbar": False,
    "show_pathbar": False,
    "show_sidebar": False,
    "sidebar_width": 180,
    "arrange_by": None,
    "grid_offset": (0, 0),
    "grid_spacing": 100.0,
    "scroll_position": (0.0, 0.0),
    "show_icon_preview": False,
    "show_item_info": False,
    "label_pos": "bottom",
    "text_size": 16.0,
    "icon_size": 128.0,
    "include_icon_view_settings": "auto",
    "include_list_view_settings": "auto",
    "window_rect": None,
    "default_view": "icon-view",
    "icon_locations": {},
    "license": None,
}


def test_dmg_settings_put_the_app_beside_an_applications_link() -> None:
    options = _run_dmg_settings({"app": "dist/Dockblocks.app", "icon": "x/Dockblocks.icns"})
    made = {name for name in options if not name.startswith("__")}
    unknown = made - set(DMGBUILD_DEFAULTS) - {"filename", "volume_name", "defines"}
    # The file's own helper names, which dmgbuild ignores.
    assert unknown == {"os", "application", "app_name"}
    assert options["files"] == ["dist/Dockblocks.app"]
    assert options["symlinks"] == {"Applications": "/Applications"}
    assert set(options["icon_locations"]) == {"Dockblocks.app", "Applications"}
    assert options["icon"] == "x/Dockblocks.icns"
    assert options["format"] in {"UDBZ", "UDZO", "ULFO", "ULMO"}  # compressed, read-only
    _, (width, height) = options["window_rect"]
    for left, top in options["icon_locations"].values():
        assert 0 < left < width and 0 < top < height  # both icons inside the window


def test_dmg_settings_have_defaults_without_defines() -> None:
    options = _run_dmg_settings({})
    assert options["files"] == ["dist/Dockblocks.app"]
    assert options["icon"] is None


def test_entitlements_are_a_plist_of_hardened_runtime_exceptions() -> None:
    with (MACOS / "entitlements.plist").open("rb") as file:
        entitlements = plistlib.load(file)
    assert entitlements == {
        "com.apple.security.cs.allow-unsigned-executable-memory": True,
        "com.apple.security.cs.disable-library-validation": True,
    }
    build = (MACOS / "build.sh").read_text(encoding="utf-8")
    assert '--options runtime --entitlements "$ENTITLEMENTS"' in build
    assert 'ENTITLEMENTS="packaging/macos/entitlements.plist"' in build
    assert "xcrun notarytool submit" in build and 'xcrun stapler staple "$DMG"' in build
