#!/usr/bin/env bash
# Runs `--smoke-test` on the app inside a Dockblocks disk image, as a user would get it: the image is mounted
# read-only, the program started from there with QT_QPA_PLATFORM=offscreen, and the image detached again.
#
#   bash packaging/macos/smoke-test-dmg.sh dist/Dockblocks-<version>-macos-<arch>.dmg
set -euo pipefail

[[ $# -eq 1 && -f "$1" ]] || {
    printf 'usage: smoke-test-dmg.sh DISK_IMAGE.dmg\n' >&2
    exit 2
}
DMG=$1
MOUNT="$(mktemp -d "${TMPDIR:-/tmp}/dockblocks-dmg.XXXXXX")"
detach() {
    hdiutil detach "$MOUNT" -quiet || hdiutil detach "$MOUNT" -force -quiet || true
    rmdir "$MOUNT" 2>/dev/null || true
}

printf '\n=== smoke-test-dmg.sh: mounting %s\n' "$DMG"
hdiutil attach "$DMG" -nobrowse -readonly -noautoopen -mountpoint "$MOUNT" >/dev/null
trap detach EXIT

APP="$MOUNT/Dockblocks.app"
[[ -d "$APP" ]] || {
    printf 'smoke-test-dmg.sh: the disk image holds no Dockblocks.app\n' >&2
    exit 1
}
[[ -L "$MOUNT/Applications" ]] || {
    printf 'smoke-test-dmg.sh: the disk image has no Applications link to drag the app onto\n' >&2
    exit 1
}
EXECUTABLE="$APP/Contents/MacOS/$(plutil -extract CFBundleExecutable raw -o - "$APP/Contents/Info.plist")"
codesign --verify --deep --strict "$APP"
printf '=== smoke-test-dmg.sh: %s --smoke-test\n' "$EXECUTABLE"
QT_QPA_PLATFORM=offscreen "$EXECUTABLE" --smoke-test
