#!/usr/bin/env bash
# System packages the tests' real peers need (Debian 12). Idempotent; run as root.
set -euo pipefail
packages=(
  chromium                                   # Playwright drives Debian's Chromium (no browser download)
  gnome-keyring libsecret-tools dbus-daemon dbus-x11   # the real OS keychain (Secret Service)
  docker.io busybox-static                   # a real dockerd, images from a local busybox rootfs
  golang-go golang-github-vmware-govmomi-dev # govmomi's vcsim, built offline
  xvfb imagemagick x11vnc tigervnc-standalone-server x11-xserver-utils xterm  # VNC servers and screenshots for consoles
  fonts-noto-cjk                             # Chinese UI text in screenshots
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "System packages: all present."
  exit 0
fi
echo "Installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
