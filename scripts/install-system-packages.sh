#!/usr/bin/env bash
# Installs the Debian packages newsalign uses when they are missing; without root it says what to install.
set -euo pipefail

packages=(apertium apertium-mkd-bul apertium-mkd-eng apertium-hbs-eng omegat chromium)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "newsalign: no apt-get here; install ${missing[*]} by hand (the tests that need them are skipped)" >&2
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo="sudo -n"
    else
        echo "newsalign: not root; run: sudo apt-get install -y ${missing[*]} (the tests that need them are skipped)" >&2
        exit 0
    fi
fi
echo "newsalign: installing Debian packages: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
