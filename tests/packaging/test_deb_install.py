"""The Linux packages, proven end to end: built from this checkout, installed into a clean Debian, run.

The .deb is installed with apt into a container of a minimal Debian 12 made by debootstrap (on the private
test engine), with ``--no-install-recommends``: apt fetches exactly what ``Depends:`` names from Debian's
mirror, so a missing dependency shows as a library Qt or Python cannot load. Then ``dockblocks
--smoke-test`` runs there on Qt's offscreen platform. The .tar.gz is unpacked and smoke-tested on this
machine. Building takes about three minutes; packages already in dist/ from the same inputs are reused.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import time
from pathlib import Path

import pytest
from engine_harness import PrivateEngine
from linux_packages import LINTIAN_REPORT, LinuxPackages, built_packages, debian_rootfs, why_not_buildable

SMOKE_OK = "The Dockblocks window opened and closed normally."
SELF_CHECK_OK = "The self-check passed: "
TIMEOUT_S = 1200
pytestmark = [pytest.mark.slow, pytest.mark.timeout(TIMEOUT_S)]


@pytest.fixture(scope="module")
def packages() -> LinuxPackages:
    reason = why_not_buildable()
    if reason is not None:
        if os.environ.get("DOCKBLOCKS_REQUIRE_ENGINE") == "1":  # run-tests as root installs the tools
            pytest.fail(f"the Linux packages cannot be built here: {reason}", pytrace=False)
        pytest.skip(reason)
    return built_packages()


def deb_field(deb: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "--field", str(deb), name], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_the_deb_holds_what_a_desktop_needs(packages: LinuxPackages) -> None:
    listing = subprocess.run(
        ["dpkg-deb", "--contents", str(packages.deb)], capture_output=True, text=True, check=True
    ).stdout
    for path in (
        "./usr/bin/dockblocks -> ../lib/dockblocks/dockblocks",
        "./usr/lib/dockblocks/dockblocks",
        "./usr/lib/dockblocks/_internal/bin/hadolint",
        "./usr/lib/dockblocks/_internal/resources/templates/python-alpine/Dockerfile",
        "./usr/share/applications/dockblocks.desktop",
        "./usr/share/mime/packages/dockblocks.xml",
        "./usr/share/metainfo/io.github.dockblocks.Dockblocks.metainfo.xml",
        "./usr/share/icons/hicolor/48x48/apps/dockblocks.png",
        "./usr/share/icons/hicolor/scalable/apps/dockblocks.svg",
        "./usr/share/doc/dockblocks/copyright",
        "./usr/share/man/man1/dockblocks.1.gz",
    ):
        assert path in listing, f"{path} is not in the .deb"
    assert "__pycache__" not in listing
    assert deb_field(packages.deb, "Version") == packages.version
    depends = deb_field(packages.deb, "Depends")
    # What the bundled Qt needs from the system, derived by dpkg-shlibdeps (not written by hand).
    for library in ("libxkbcommon0", "libxcb-cursor0", "libegl1", "libfontconfig1", "libdbus-1-3", "libgl1"):
        assert library in depends
    assert "libgtk-3-0" not in depends and "libgtk-3-0" in deb_field(packages.deb, "Recommends")


def test_the_deb_is_lintian_clean(packages: LinuxPackages) -> None:
    report = LINTIAN_REPORT.read_text()
    problems = [line for line in report.splitlines() if line[:2] in ("E:", "W:")]
    assert not problems, report


def test_the_desktop_entry_and_the_metainfo_validate(packages: LinuxPackages, tmp_path: Path) -> None:
    subprocess.run(["dpkg-deb", "--extract", str(packages.deb), str(tmp_path)], check=True)
    metainfo = tmp_path / "usr/share/metainfo/io.github.dockblocks.Dockblocks.metainfo.xml"
    done = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--explain", str(metainfo)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    desktop = tmp_path / "usr/share/applications/dockblocks.desktop"
    done = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr
    assert "MimeType=application/x-dockblocks;" in desktop.read_text()
    mime = (tmp_path / "usr/share/mime/packages/dockblocks.xml").read_text()
    assert '<glob pattern="*.dockblocks"/>' in mime


@pytest.mark.engine
def test_the_deb_installs_into_a_clean_debian_and_passes_its_smoke_test(
    packages: LinuxPackages, engine: PrivateEngine, engine_labels: dict[str, str], artifacts_dir: Path
) -> None:
    started = time.monotonic()
    rootfs = debian_rootfs()
    rootfs_seconds = time.monotonic() - started
    tag = f"dockblocks-test/debian-bookworm:{engine_labels['org.dockblocks.test.case']}"
    label_changes = [f'LABEL {key}="{value}"' for key, value in engine_labels.items()]
    engine.api.import_image_from_file(str(rootfs), repository=tag, changes=label_changes)
    script = (
        "set -e; export DEBIAN_FRONTEND=noninteractive; apt-get update -q;"
        f" apt-get install -y -q --no-install-recommends /packages/{packages.deb.name};"
        " cd /tmp; HOME=/tmp QT_QPA_PLATFORM=offscreen dockblocks --smoke-test"
    )
    container = engine.client.containers.run(
        tag,
        ["/bin/sh", "-c", script],
        labels=engine_labels,
        volumes={str(packages.deb.parent): {"bind": "/packages", "mode": "ro"}},
        detach=True,
    )
    result = container.wait(timeout=TIMEOUT_S)
    output = container.logs().decode(errors="replace")
    (artifacts_dir / "deb-install.log").write_text(output)
    seconds = time.monotonic() - started
    print(
        f"\nbuild {packages.build_seconds:.0f} s (0 = reused), Debian rootfs {rootfs_seconds:.0f} s,"
        f" import + apt install + smoke test {seconds - rootfs_seconds:.0f} s"
    )
    assert result["StatusCode"] == 0, output[-6000:]
    assert SELF_CHECK_OK in output and SMOKE_OK in output, output[-3000:]


def test_the_tarball_unpacks_and_passes_its_smoke_test(packages: LinuxPackages, tmp_path: Path) -> None:
    with tarfile.open(packages.tarball) as archive:
        archive.extractall(tmp_path, filter="tar")
    folder = tmp_path / f"dockblocks-{packages.version}-linux-x86_64"
    assert (folder / "README.txt").is_file() and (folder / "share/applications/dockblocks.desktop").is_file()
    assert "libxcb-cursor0" in (folder / "system-packages.txt").read_text().split()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"), PATH="/usr/bin:/bin")
    done = subprocess.run(
        [str(folder / "dockblocks"), "--smoke-test"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == SMOKE_OK
    assert (tmp_path / "home/.config/Dockblocks").is_dir()  # settings in the usual place
