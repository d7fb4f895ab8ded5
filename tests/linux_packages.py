"""Helpers of the Linux package test: build (or reuse) the packages, and make a clean Debian to install into.

- :func:`built_packages` runs ``packaging/linux/build-packages.sh`` unless ``dist/`` already holds the
  packages built from exactly these inputs (the sources, the spec, the scripts and the installed Python
  packages; a digest of them is kept beside the packages).
- :func:`debian_rootfs` makes a minimal Debian 12 with ``debootstrap --variant=minbase`` once and keeps it
  as a tarball in a cache folder (``DOCKBLOCKS_TEST_CACHE``, default ``~/.cache/dockblocks-tests``), so
  later runs import it into the engine in seconds.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DIST = REPO / "dist"
BUILD_SCRIPT = REPO / "packaging" / "linux" / "build-packages.sh"
LINTIAN_REPORT = REPO / "build" / "linux" / "lintian.txt"
INPUTS = ("desktop", "ui", "resources", "packaging/pyinstaller", "packaging/linux", "pyproject.toml")
DIGEST_FILE = DIST / "linux-packages.inputs"
SUITE = "bookworm"
MIRROR = "http://deb.debian.org/debian"
BUILD_TOOLS = ("dpkg-deb", "dpkg-shlibdeps", "patchelf", "debootstrap")


@dataclass(frozen=True)
class LinuxPackages:
    version: str
    deb: Path
    tarball: Path
    build_seconds: float  # 0.0 when the packages of an earlier run were reused


def why_not_buildable() -> str | None:
    """Why the packages cannot be built and tested here, or None."""
    if not sys.platform.startswith("linux") or platform.machine() != "x86_64":
        return f"the Linux packages are built on x86-64 Linux (this is {sys.platform} {platform.machine()})"
    missing = [tool for tool in BUILD_TOOLS if shutil.which(tool) is None]
    if missing:
        return f"missing tools: {', '.join(missing)} (apt-get install dpkg-dev patchelf debootstrap)"
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        return "PyInstaller is not installed (pip install -e '.[packaging]')"
    return None


def project_version() -> str:
    with (REPO / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def inputs_digest() -> str:
    """A digest of everything the packages are made from."""
    digest = hashlib.sha256()
    for name in INPUTS:
        root = REPO / name
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    installed = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join([sys.version, *installed]).encode())
    return digest.hexdigest()


def built_packages() -> LinuxPackages:
    """The .deb and .tar.gz of this checkout, built now unless those in dist/ are up to date.

    Raises:
        RuntimeError: the build script failed (its output is in the message).
    """
    version = project_version()
    deb = DIST / f"dockblocks_{version}_amd64.deb"
    tarball = DIST / f"dockblocks-{version}-linux-x86_64.tar.gz"
    wanted = inputs_digest()
    kept = DIGEST_FILE.read_text().strip() if DIGEST_FILE.is_file() else ""
    if kept == wanted and deb.is_file() and tarball.is_file() and LINTIAN_REPORT.is_file():
        return LinuxPackages(version, deb, tarball, 0.0)
    DIGEST_FILE.unlink(missing_ok=True)
    env = {**os.environ, "PYTHON": sys.executable}
    import time

    started = time.monotonic()
    done = subprocess.run(
        [str(BUILD_SCRIPT)], cwd=REPO, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"build-packages.sh failed ({done.returncode}):\n{done.stderr[-6000:]}")
    DIGEST_FILE.write_text(wanted + "\n")
    return LinuxPackages(version, deb, tarball, seconds)


def cache_dir() -> Path:
    chosen = os.environ.get("DOCKBLOCKS_TEST_CACHE")
    base = Path(chosen) if chosen else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base if chosen else base / "dockblocks-tests"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def debian_rootfs() -> Path:
    """A tarball of a minimal Debian 12 root file system, made with debootstrap on first use.

    Raises:
        RuntimeError: debootstrap failed (no network to the Debian mirror, say).
    """
    tarball = cache_dir() / f"debian-{SUITE}-minbase.tar"
    if tarball.is_file():
        return tarball
    work = cache_dir() / f"debian-{SUITE}-rootfs.partial"
    shutil.rmtree(work, ignore_errors=True)
    try:
        done = subprocess.run(
            ["debootstrap", "--variant=minbase", SUITE, str(work), MIRROR],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"debootstrap failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr}")
        partial = tarball.with_suffix(".partial")
        subprocess.run(["tar", "-C", str(work), "-cf", str(partial), "."], check=True, timeout=300)
        partial.rename(tarball)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return tarball
