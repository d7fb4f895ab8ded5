#!/usr/bin/env bash
# CI only (the macOS runner of .github/workflows/installers.yml): puts the signing certificate and the notary
# key, given as base64 secrets, where build.sh finds them. Does nothing, and says so, when they are not set.
#
#   MACOS_CERTIFICATE_P12_BASE64   the "Developer ID Application" certificate with its private key (.p12)
#   MACOS_CERTIFICATE_PASSWORD     the .p12's password
#   MACOS_NOTARY_KEY_P8_BASE64     an App Store Connect API key (.p8), for notarytool (optional)
#
# Writes MACOS_NOTARY_KEY_FILE to $GITHUB_ENV when it wrote the key; the keychain is a temporary one of the
# runner, unlocked for this job only, and its password is random.
set -euo pipefail

TEMP="${RUNNER_TEMP:?this script is for GitHub Actions runners (RUNNER_TEMP is not set)}"

if [[ -n "${MACOS_NOTARY_KEY_P8_BASE64:-}" ]]; then
    KEY_FILE="$TEMP/notary-key.p8"
    printf '%s' "$MACOS_NOTARY_KEY_P8_BASE64" | base64 --decode >"$KEY_FILE"
    chmod 600 "$KEY_FILE"
    printf 'MACOS_NOTARY_KEY_FILE=%s\n' "$KEY_FILE" >>"${GITHUB_ENV:?}"
    printf 'ci-signing-setup.sh: notary key written\n'
fi

if [[ -z "${MACOS_CERTIFICATE_P12_BASE64:-}" ]]; then
    printf 'ci-signing-setup.sh: no MACOS_CERTIFICATE_P12_BASE64 secret: the app will be signed ad hoc\n'
    exit 0
fi

KEYCHAIN="$TEMP/dockblocks-signing.keychain-db"
KEYCHAIN_PASSWORD="$(openssl rand -hex 24)"
CERTIFICATE="$TEMP/certificate.p12"
printf '%s' "$MACOS_CERTIFICATE_P12_BASE64" | base64 --decode >"$CERTIFICATE"

security create-keychain -p "$KEYCHAIN_PASSWORD" "$KEYCHAIN"
security set-keychain-settings -lut 21600 "$KEYCHAIN"
security unlock-keychain -p "$KEYCHAIN_PASSWORD" "$KEYCHAIN"
security import "$CERTIFICATE" -k "$KEYCHAIN" -P "${MACOS_CERTIFICATE_PASSWORD:-}" -T /usr/bin/codesign
# Lets codesign use the key without a dialog nobody could answer on a runner.
security set-key-partition-list -S apple-tool:,apple:,codesign: -s -k "$KEYCHAIN_PASSWORD" "$KEYCHAIN" >/dev/null
# Search this keychain too, keeping the runner's own ones.
# shellcheck disable=SC2046 # list-keychains prints one quoted path per line: word splitting is intended
security list-keychains -d user -s "$KEYCHAIN" $(security list-keychains -d user | tr -d '"')
rm -f "$CERTIFICATE"
security find-identity -v -p codesigning "$KEYCHAIN"
