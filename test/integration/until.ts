// Waits for a condition instead of a fixed sleep: `probe` is asked every 50 ms until
// it gives a value (anything but undefined or false), which is returned; after
// `timeoutMs` (generous: the machine is shared) it fails naming what it waited for.

export async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
