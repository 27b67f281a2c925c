// One rule for tests that need a real peer (dockerd, vcsim, the keychain, …):
// where the peer is missing the test is skipped with the reason, except when the run
// requires every peer — POLYVISOR_REQUIRE_PEERS=1 (set by .ci/run; CI=true counts too) —
// where the missing peer fails the run instead, so CI never passes with parts untested.
// (The Electron smoke test is not governed by this: see POLYVISOR_REQUIRE_ELECTRON.)

/** True when a missing peer must fail the run. */
export function peersRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.POLYVISOR_REQUIRE_PEERS === '1' || env.CI === 'true';
}

/**
 * `reason`: why the peer cannot run here, or null when it can.
 * Returns whether to skip; throws (with the reason) when peers are required.
 * Use as `describe.skipIf(requirePeer(reason))` or `test.skip(requirePeer(reason), reason)`.
 */
export function requirePeer(reason: string | null, env: NodeJS.ProcessEnv = process.env): boolean {
  if (reason === null) return false;
  if (peersRequired(env)) {
    throw new Error(`required test peer unavailable: ${reason} (POLYVISOR_REQUIRE_PEERS=1 fails the run instead of skipping; bash test/peers/install-debian-packages.sh installs the peers)`);
  }
  console.warn(`SKIPPED (test peer missing): ${reason}`);
  return true;
}
