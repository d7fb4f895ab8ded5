#!/usr/bin/env bash
# Builds the Linux packages of Dockblocks from this checkout:
#
#   dist/dockblocks_<version>_amd64.deb              for Debian 12 / Ubuntu 22.04 and later (apt install ./…)
#   dist/dockblocks-<version>-linux-x86_64.tar.gz    the same program to unpack anywhere
#
#   packaging/linux/build-packages.sh [--reuse-bundle]
#
# Steps: freeze the app with PyInstaller (dist/dockblocks/), run its --smoke-test, lay out the Debian
# tree (the program in /usr/lib/dockblocks, /usr/bin/dockblocks, desktop entry, MIME type, AppStream
# metainfo, hicolor icons), derive Depends from the bundled ELF files with dpkg-shlibdeps, build the .deb
# with dpkg-deb, run lintian when it is installed, and pack the .tar.gz.
#   --reuse-bundle   keep dist/dockblocks as it is (already built from this checkout) instead of freezing
#   PYTHON=…         the interpreter with Dockblocks and the packaging extra (default: .venv/bin/python if
#                    there is one, else python3)
# Needs: dpkg-dev (dpkg-shlibdeps), patchelf, icu-devtools and gcc (the spec rebuilds PySide6's ICU data
# library without what Qt never reads: packaging/pyinstaller/trim_icu.py), and the system libraries the bundled Qt links to installed on this
# machine, so that dpkg-shlibdeps can tell which package provides each (./run-tests installs them).
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
cd "$ROOT"
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x "$ROOT/.venv/bin/python" ]]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi
HERE=packaging/linux
PACKAGE=dockblocks
ARCH=amd64
say() { printf 'build-packages: %s\n' "$*" >&2; }

[[ $(uname -m) == x86_64 ]] || { say "this script builds amd64 packages; this machine is $(uname -m)"; exit 1; }
for tool in dpkg-deb dpkg-shlibdeps patchelf icupkg gcc; do
    command -v "$tool" >/dev/null || { say "$tool is missing: apt-get install dpkg-dev patchelf icu-devtools gcc"; exit 1; }
done
VERSION="$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
DEB="dist/${PACKAGE}_${VERSION}_${ARCH}.deb"
TARBALL="dist/${PACKAGE}-${VERSION}-linux-x86_64.tar.gz"
WORK=build/linux
say "Dockblocks $VERSION"

if [[ "${1:-}" != --reuse-bundle ]]; then
    say "freezing with PyInstaller"
    "$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
        packaging/pyinstaller/dockblocks.spec
fi
[[ -x dist/dockblocks/dockblocks ]] || { say "no bundle in dist/dockblocks"; exit 1; }
say "smoke test of the bundle"
QT_QPA_PLATFORM=offscreen HOME="$(mktemp -d)" dist/dockblocks/dockblocks --smoke-test

# --- the Debian tree (debian/<package>/ is where dpkg-shlibdeps expects the package being built) --------
rm -rf "$WORK"
TREE="$WORK/debian/$PACKAGE"
mkdir -p "$TREE/DEBIAN" "$TREE/usr/lib" "$TREE/usr/bin" "$TREE/usr/share/applications" \
    "$TREE/usr/share/mime/packages" "$TREE/usr/share/metainfo" "$TREE/usr/share/doc/$PACKAGE" \
    "$TREE/usr/share/icons/hicolor/scalable/apps" "$TREE/usr/share/man/man1" "$TREE/usr/share/lintian/overrides"
cp -a dist/dockblocks "$TREE/usr/lib/$PACKAGE"
# The bootloader finds its _internal folder through /proc/self/exe, so a symlink is enough.
ln -s "../lib/$PACKAGE/dockblocks" "$TREE/usr/bin/dockblocks"
install -m 644 "$HERE/dockblocks.desktop" "$TREE/usr/share/applications/dockblocks.desktop"
install -m 644 "$HERE/dockblocks-mime.xml" "$TREE/usr/share/mime/packages/dockblocks.xml"
sed -e "s/@VERSION@/$VERSION/" -e "s/@DATE@/$(date -u -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}" +%F)/" \
    "$HERE/io.github.dockblocks.Dockblocks.metainfo.xml" \
    >"$TREE/usr/share/metainfo/io.github.dockblocks.Dockblocks.metainfo.xml"
"$PYTHON" packaging/pyinstaller/app_icons.py "$WORK/icons" >/dev/null
cp -r "$WORK/icons/hicolor" "$TREE/usr/share/icons/"
install -m 644 resources/icons/dockblocks.svg "$TREE/usr/share/icons/hicolor/scalable/apps/dockblocks.svg"
install -m 644 "$HERE/copyright" "$TREE/usr/share/doc/$PACKAGE/copyright"
printf '%s (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- Dockblocks <dockblocks@users.noreply.github.com>  %s\n' \
    "$PACKAGE" "$VERSION" "$VERSION" "$(date -u -R -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}")" |
    gzip -9n >"$TREE/usr/share/doc/$PACKAGE/changelog.gz"
gzip -9n <"$HERE/dockblocks.1" >"$TREE/usr/share/man/man1/dockblocks.1.gz"
install -m 644 "$HERE/lintian-overrides" "$TREE/usr/share/lintian/overrides/$PACKAGE"
find "$TREE/usr" -type d -exec chmod 755 {} +
find "$TREE/usr/share" -type f -exec chmod 644 {} +
find "$TREE/usr/lib/$PACKAGE" -type f -name '*.so*' -exec chmod 644 {} +
# A Python built elsewhere (pyenv, a CI runner's toolcache) leaves its own lib folder as RUNPATH in
# libpython and its modules; it means nothing on a user's machine and must not be searched there.
while IFS= read -r -d '' elf; do
    runpath="$(patchelf --print-rpath "$elf" 2>/dev/null || true)"
    # shellcheck disable=SC2016 # the literal text $ORIGIN, which the dynamic loader expands
    if [[ -n "$runpath" && "$runpath" != *'$ORIGIN'* ]]; then patchelf --remove-rpath "$elf"; fi
done < <(find "$TREE/usr/lib/$PACKAGE" -type f -name '*.so*' -print0)

# --- dependencies on the system's libraries ---------------------------------------------------------------
# Every ELF file of the bundle; the GTK platform theme is optional (Qt falls back to its own dialogs), so
# what only it needs is a Recommends, not a Depends.
say "deriving dependencies (dpkg-shlibdeps)"
mapfile -t elves < <(find "$TREE/usr/lib/$PACKAGE" -type f \( -name '*.so*' -o -perm -u+x \) \
    -exec sh -c 'head -c 4 "$1" | grep -q "ELF" && printf "%s\n" "$1"' _ {} \; | sort)
gtk_theme=()
required=()
for elf in "${elves[@]}"; do
    case "$elf" in
    */platformthemes/libqgtk3.so) gtk_theme+=("$elf") ;;
    */bin/hadolint) ;; # statically linked: needs nothing
    *) required+=("$elf") ;;
    esac
done
mkdir -p "$WORK/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: %s\n' "$PACKAGE" "$PACKAGE" "$ARCH" >"$WORK/debian/control"
libdirs=()
while IFS= read -r dir; do libdirs+=("-l$ROOT/$dir"); done < <(
    find "$TREE/usr/lib/$PACKAGE" -name '*.so*' -type f -printf '%h\n' | sort -u)
arguments=("${libdirs[@]}" -dDepends)
for elf in "${required[@]}"; do arguments+=("-e$ROOT/$elf"); done
if ((${#gtk_theme[@]})); then
    arguments+=(-dRecommends)
    for elf in "${gtk_theme[@]}"; do arguments+=("-e$ROOT/$elf"); done
fi
# --warnings=1: only "library not found" problems; PySide's modules refer to Python's symbols, which the
# bundled libpython provides at run time (dpkg-shlibdeps would call each one "probably a plugin").
(cd "$WORK" && dpkg-shlibdeps -O --warnings=1 "${arguments[@]}") >"$WORK/substvars"
depends="$(sed -n 's/^shlibs:Depends=//p' "$WORK/substvars")"
recommends="$(sed -n 's/^shlibs:Recommends=//p' "$WORK/substvars")"
[[ -n "$depends" ]] || { say "dpkg-shlibdeps found no dependencies: something is wrong"; exit 1; }

installed_kb="$(du -sk --apparent-size "$TREE/usr" | cut -f1)"
{
    printf 'Package: %s\nVersion: %s\nArchitecture: %s\n' "$PACKAGE" "$VERSION" "$ARCH"
    printf 'Maintainer: Dockblocks <dockblocks@users.noreply.github.com>\n'
    printf 'Installed-Size: %s\nSection: devel\nPriority: optional\n' "$installed_kb"
    printf 'Depends: %s\n' "$depends"
    # shared-mime-info and desktop-file-utils run their triggers for the MIME type and the desktop entry.
    printf 'Recommends: %s\n' "${recommends:+$recommends, }docker.io | docker-ce, shared-mime-info, desktop-file-utils"
    printf 'Homepage: https://github.com/dockblocks/dockblocks\n'
    printf 'Description: compose Dockerfiles from blocks, then build and run them\n'
    printf ' Dockblocks lets beginners build a Docker image without writing a Dockerfile:\n'
    printf ' blocks such as "start from an image", "copy my files" and "run a command" are\n'
    printf ' put one under the other, and the Dockerfile appears beside them, each line\n'
    printf ' explained. It checks the Dockerfile, builds it through the Docker Engine and\n'
    printf ' runs and charts the instances.\n'
} >"$TREE/DEBIAN/control"

say "building $DEB"
mkdir -p dist
dpkg-deb --root-owner-group -Zxz --build "$TREE" "$DEB" >/dev/null
if command -v lintian >/dev/null; then
    say "lintian (packaging/linux/lintian-overrides says what is accepted and why)"
    lintian "$DEB" | tee "$WORK/lintian.txt" >&2 || true
fi

say "packing $TARBALL"
STAGE="$WORK/tar/${PACKAGE}-${VERSION}-linux-x86_64"
mkdir -p "$STAGE"
cp -a "$TREE/usr/lib/$PACKAGE/." "$STAGE/"
mkdir -p "$STAGE/share"
cp -a "$TREE/usr/share/applications" "$TREE/usr/share/icons" "$TREE/usr/share/metainfo" \
    "$TREE/usr/share/man" "$STAGE/share/"
install -m 644 "$HERE/dockblocks-mime.xml" "$STAGE/share/dockblocks-mime.xml"
install -m 644 "$HERE/README-tarball.txt" "$STAGE/README.txt"
printf '%s\n' "$depends" | tr ',' '\n' | sed 's/^ *//; s/ .*//; s/|.*//' | sort -u >"$STAGE/system-packages.txt"
tar -C "$WORK/tar" --owner=0 --group=0 --numeric-owner -czf "$TARBALL" "$(basename "$STAGE")"
say "done: $DEB ($(du -h "$DEB" | cut -f1)), $TARBALL ($(du -h "$TARBALL" | cut -f1))"
