#!/usr/bin/env bash
# `npm test`: typecheck, unit + integration tests (vitest) and end-to-end tests (Playwright),
# inside a private D-Bus session with a throw-away, unlocked gnome-keyring so the
# OS-keychain tests talk to a real Secret Service and never touch the user's own keyring.
set -euo pipefail
cd "$(dirname "$0")/.."

# Every program the tests start is here (test/peers/programs.ts), or each missing one is named
# with its Debian package: fatal under POLYVISOR_REQUIRE_PEERS=1 (CI), a warning otherwise.
if [ -z "${POLYVISOR_PREFLIGHT_DONE:-}" ]; then
  echo "== preflight (test/peers/programs.ts)"
  npx tsx test/peers/preflight.ts
  export POLYVISOR_PREFLIGHT_DONE=1
fi

if [ -z "${POLYVISOR_TEST_SESSION:-}" ] && command -v dbus-run-session >/dev/null 2>&1; then
  export POLYVISOR_TEST_SESSION=1
  exec dbus-run-session -- bash "$0" "$@"
fi

if [ -n "${POLYVISOR_TEST_SESSION:-}" ] && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  keyring_home=$(mktemp -d -t polyvisor-keyring-XXXXXX)
  export XDG_DATA_HOME="$keyring_home/data" XDG_RUNTIME_DIR="$keyring_home/run"
  mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  eval "$(printf 'polyvisor-test' | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  # the daemon leaves with the private session bus; never `kill 0` (that would be our own process group)
  trap 'rm -rf "$keyring_home"' EXIT
fi

echo "== typecheck"
npx tsc --noEmit -p tsconfig.json
echo "== unit and integration tests (vitest)"
npx vitest run
echo "== end-to-end tests (Playwright, Debian Chromium)"
npm run build:renderer --silent
npx playwright test -c test/e2e/playwright.config.ts
echo "== the basics again with the core in a process of its own (issue 17: POLYVISOR_CORE_PROCESS=1)"
POLYVISOR_CORE_PROCESS=1 npx playwright test -c test/e2e/playwright.config.ts test/e2e/first-hour-tree.spec.ts test/e2e/consoles.spec.ts test/e2e/consoles-interaction.spec.ts
