#!/usr/bin/env bash
# System packages the tests' real peers need (Debian 12). Idempotent; run as root.
# The list of programs the tests start, each with its package and the test that uses it,
# is test/peers/programs.ts; the package list below is generated from it
# (npx tsx test/peers/preflight.ts --update-install-script) and a unit test
# (test/unit/peer-programs.test.ts) fails when the two disagree.
# `--list` prints the packages and installs nothing.
set -euo pipefail
packages=(
  # BEGIN generated from test/peers/programs.ts (npx tsx test/peers/preflight.ts --update-install-script)
  chromium                          # chromium
  fonts-noto-cjk                    # NotoSansCJK
  dbus-daemon                       # dbus-run-session, dbus-daemon
  dbus-bin                          # dbus-send
  gnome-keyring                     # gnome-keyring-daemon
  libsecret-tools                   # secret-tool
  docker.io                         # dockerd, docker
  containerd                        # containerd
  runc                              # runc
  busybox-static                    # busybox
  tar                               # tar
  mount                             # umount
  coreutils                         # seq, sleep, env
  openssl                           # openssl
  docker-registry                   # docker-registry
  python3                           # python3
  util-linux                        # setpriv
  golang-go                         # go
  golang-github-vmware-govmomi-dev  # govmomi
  tigervnc-standalone-server        # Xvnc
  tigervnc-tools                    # vncpasswd
  x11-xserver-utils                 # xsetroot
  xclip                             # xclip
  x11-utils                         # xev
  x11-xkb-utils                     # setxkbmap
  xkb-data                          # xkb-data
  systemd                           # systemd-analyze (optional: no test starts it)
  xvfb                              # Xvfb (optional: no test starts it)
  imagemagick                       # import, convert (optional: no test starts it)
  x11vnc                            # x11vnc (optional: no test starts it)
  xterm                             # xterm (optional: no test starts it)
  dbus-x11                          # dbus-launch (optional: no test starts it)
  # END generated
)
if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi
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
