#!/usr/bin/env bash
# Builds Dockblocks for macOS: dist/Dockblocks.app and dist/Dockblocks-<version>-macos-<arch>.dmg
#
#   bash packaging/macos/build.sh        (on a Mac, in a Python 3.11+ environment with pip install ".[packaging]")
#
# Steps, each stopping the build when it fails:
#   1. PyInstaller: packaging/pyinstaller/dockblocks.spec -> dist/Dockblocks.app (Info.plist with the
#      .dockblocks document type, bundle id io.github.dockblocks.Dockblocks, the icon drawn from the SVG)
#   2. checks the Info.plist: version = pyproject.toml's, the .dockblocks document type
#   3. smoke test: the program inside the .app, --smoke-test, QT_QPA_PLATFORM=offscreen, must exit 0
#   4. signing: with MACOS_SIGN_IDENTITY (a "Developer ID Application: ..." identity in the keychain) every
#      binary, framework and then the app, with the hardened runtime, a secure timestamp and
#      packaging/macos/entitlements.plist; without it, ad hoc (runs on this Mac, not a release for others)
#   5. notarisation, only with an identity AND notary credentials: the app is submitted
#      (xcrun notarytool submit --wait) and stapled (xcrun stapler staple)
#   6. the disk image, with dmgbuild (packaging/macos/dmg_settings.py), signed and notarised like the app
#   7. smoke test again, of the app inside the mounted disk image (packaging/macos/smoke-test-dmg.sh)
#
# Environment (all optional; without them the build is ad hoc signed and not notarised, and says so):
#   PYTHON                      the interpreter (default python3)
#   MACOS_SIGN_IDENTITY         codesign identity, e.g. "Developer ID Application: Jane Doe (TEAMID1234)"
#   notary credentials, either an App Store Connect API key:
#     MACOS_NOTARY_KEY_FILE (the .p8 file), MACOS_NOTARY_KEY_ID, MACOS_NOTARY_ISSUER
#   or an Apple ID with an app-specific password:
#     MACOS_NOTARY_APPLE_ID, MACOS_NOTARY_TEAM_ID, MACOS_NOTARY_PASSWORD
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
APP="dist/Dockblocks.app"
ENTITLEMENTS="packaging/macos/entitlements.plist"

say() { printf '\n=== build.sh: %s\n' "$*"; }
die() {
    printf 'build.sh: %s\n' "$*" >&2
    exit 1
}

[[ "$(uname -s)" == Darwin ]] || die "this builds the macOS app and disk image: run it on a Mac (CI: the macos-14 runner)"

VERSION="$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
ARCH="$(uname -m)" # arm64 on Apple silicon (macos-14), x86_64 on Intel
DMG="dist/Dockblocks-$VERSION-macos-$ARCH.dmg"
say "Dockblocks $VERSION for macOS ($ARCH)"

plist_value() { plutil -extract "$1" raw -o - "$APP/Contents/Info.plist"; }

smoke_test() {
    say "smoke test: $1 --smoke-test"
    QT_QPA_PLATFORM=offscreen "$1" --smoke-test || die "the smoke test of $1 failed (exit code $?)"
}

# Inside-out, as codesign wants it: every Mach-O file, then each framework bundle, then the app itself.
sign_with_identity() {
    local -a args=(--force --sign "$MACOS_SIGN_IDENTITY" --timestamp --options runtime --entitlements "$ENTITLEMENTS")
    local path
    while IFS= read -r -d '' path; do
        if file -b "$path" | grep -q '^Mach-O'; then
            codesign "${args[@]}" "$path"
        fi
    done < <(find "$APP/Contents" -type f ! -path '*/_CodeSignature/*' -print0)
    while IFS= read -r -d '' path; do
        codesign "${args[@]}" "$path"
    done < <(find "$APP/Contents" -type d -name '*.framework' -print0)
    codesign "${args[@]}" "$APP"
}

# The notary credentials, when complete, as notarytool's options. Written for bash 3.2 too (macOS's own):
# no mapfile, and an empty array is never expanded (3.2 calls that an unbound variable under set -u).
NOTARY=()
HAVE_NOTARY=no
if [[ -n "${MACOS_NOTARY_KEY_FILE:-}" && -n "${MACOS_NOTARY_KEY_ID:-}" && -n "${MACOS_NOTARY_ISSUER:-}" ]]; then
    NOTARY=(--key "$MACOS_NOTARY_KEY_FILE" --key-id "$MACOS_NOTARY_KEY_ID" --issuer "$MACOS_NOTARY_ISSUER")
    HAVE_NOTARY=yes
elif [[ -n "${MACOS_NOTARY_APPLE_ID:-}" && -n "${MACOS_NOTARY_TEAM_ID:-}" && -n "${MACOS_NOTARY_PASSWORD:-}" ]]; then
    NOTARY=(--apple-id "$MACOS_NOTARY_APPLE_ID" --team-id "$MACOS_NOTARY_TEAM_ID" --password "$MACOS_NOTARY_PASSWORD")
    HAVE_NOTARY=yes
fi
NOTARISE=no
if [[ -n "${MACOS_SIGN_IDENTITY:-}" && $HAVE_NOTARY == yes ]]; then NOTARISE=yes; fi

# Submits a .zip or .dmg to Apple's notary service, waits for its verdict and fails unless it is Accepted.
notarise() {
    local file=$1 result status id
    say "notarising $file (this usually takes a few minutes)"
    result="$(xcrun notarytool submit "$file" "${NOTARY[@]}" --wait --timeout 1h --output-format json)" ||
        die "could not submit $file to Apple's notary service (are the notary credentials right?)"
    status="$(printf '%s' "$result" | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin).get("status", ""))')"
    if [[ "$status" != Accepted ]]; then
        id="$(printf '%s' "$result" | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin).get("id", ""))')"
        if [[ -n "$id" ]]; then xcrun notarytool log "$id" "${NOTARY[@]}" >&2 || true; fi
        die "Apple's notary service said '$status' for $file (its log is above)"
    fi
}

say "PyInstaller"
"$PYTHON" -m PyInstaller --noconfirm --distpath dist --workpath build/pyinstaller packaging/pyinstaller/dockblocks.spec
[[ -d "$APP" ]] || die "PyInstaller made no $APP"

say "Info.plist"
[[ "$(plist_value CFBundleShortVersionString)" == "$VERSION" ]] ||
    die "the app says version $(plist_value CFBundleShortVersionString), pyproject.toml $VERSION"
[[ "$(plist_value CFBundleDocumentTypes.0.CFBundleTypeExtensions.0)" == dockblocks ]] ||
    die "the app does not declare the .dockblocks document type"
EXECUTABLE="$APP/Contents/MacOS/$(plist_value CFBundleExecutable)"

smoke_test "$EXECUTABLE"

if [[ -n "${MACOS_SIGN_IDENTITY:-}" ]]; then
    say "signing with '$MACOS_SIGN_IDENTITY' (hardened runtime)"
    sign_with_identity
else
    say "MACOS_SIGN_IDENTITY is not set: signing ad hoc. This app runs on this Mac; on other Macs Gatekeeper" \
        "refuses it until the user allows it in System Settings > Privacy & Security. Releases need an identity."
    codesign --force --deep --sign - "$APP"
fi
codesign --verify --deep --strict --verbose=2 "$APP"

if [[ $NOTARISE == yes ]]; then
    ditto -c -k --keepParent "$APP" build/Dockblocks-notarise.zip
    notarise build/Dockblocks-notarise.zip
    xcrun stapler staple "$APP"
    spctl --assess --type execute --verbose=2 "$APP"
elif [[ -n "${MACOS_SIGN_IDENTITY:-}" ]]; then
    say "no notary credentials (MACOS_NOTARY_KEY_FILE/_KEY_ID/_ISSUER or MACOS_NOTARY_APPLE_ID/_TEAM_ID/_PASSWORD):" \
        "signed but not notarised, so Gatekeeper will still warn on other Macs"
fi

say "disk image $DMG"
rm -f "$DMG"
"$PYTHON" -m dmgbuild -s packaging/macos/dmg_settings.py -D app="$APP" \
    -D icon="$APP/Contents/Resources/$(plist_value CFBundleIconFile)" "Dockblocks" "$DMG"
if [[ -n "${MACOS_SIGN_IDENTITY:-}" ]]; then
    codesign --force --sign "$MACOS_SIGN_IDENTITY" --timestamp "$DMG"
    if [[ $NOTARISE == yes ]]; then
        notarise "$DMG"
        xcrun stapler staple "$DMG"
        spctl --assess --type open --context context:primary-signature --verbose=2 "$DMG"
    fi
fi

bash packaging/macos/smoke-test-dmg.sh "$DMG"
say "built $APP and $DMG"
