#!/usr/bin/env bash
# The system programs the test suite runs for real: headless Chromium and its driver (the browser
# tests) and Virtuoso (`publish --endpoint` into a second real triple store). Debian packages,
# installed with apt when missing; root, or sudo for a user. The Oxigraph server comes from PyPI
# (the `test` extra). Run by the README's test command and by .ci/run; a no-op once installed.
set -euo pipefail
packages=(chromium chromium-driver virtuoso-opensource)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "installing the test system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# The package's own service is not wanted (the tests start Virtuoso on a loopback port of their own).
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
