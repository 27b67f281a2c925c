// Fixes of govmomi's simulator that upstream made after the version Debian ships (0.24),
// applied at build time through `go build -overlay`: Debian's sources stay untouched and
// each fix names the upstream change it follows. A fix that no longer applies fails the
// build loudly (the installed govmomi changed: check whether it carries the fix, then drop it).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface SourceFix {
  /** file under govmomi's source tree */
  file: string;
  upstream: string;
  find: string;
  replace: string;
}

const FIXES: readonly SourceFix[] = [
  {
    // A change queued for an object that is destroyed before the collector applies it made
    // WaitForUpdatesEx dereference the missing object and panic; Go's HTTP server then drops
    // the connection, so a client's long poll ended with "socket hang up" after Destroy_Task.
    // vCenter reports the change and the object's leave.
    file: 'simulator/property_filter.go',
    upstream: 'vmware/govmomi#3622 (vcsim: avoid possible panic when applying PropertyFilter)',
    find: '\t\t\t\tkind = getManagedObject(ctx.Map.Get(ref)).Type()\n',
    replace: '\t\t\t\tobj := ctx.Map.Get(ref)\n\t\t\t\tif obj == nil {\n\t\t\t\t\treturn false\n\t\t\t\t}\n\t\t\t\tkind = getManagedObject(obj).Type()\n',
  },  {
    // RefreshDatastore answered HTTP 200 with an empty body (its response left nil), which no
    // SOAP client can read; vCenter answers an empty RefreshDatastoreResponse (issue 16's rescan).
    file: 'simulator/datastore.go',
    upstream: 'vmware/govmomi simulator/datastore.go: RefreshDatastore sets r.Res = &types.RefreshDatastoreResponse{} (later releases)',
    find: '\tinfo.MaxFileSize = info.FreeSpace\n\n\treturn r\n',
    replace: '\tinfo.MaxFileSize = info.FreeSpace\n\n\tr.Res = &types.RefreshDatastoreResponse{}\n\treturn r\n',
  },
];

/** What the fixes change, for the binary's cache key. */
export function fixesFingerprint(): string {
  return JSON.stringify(FIXES);
}

/**
 * Writes the fixed files under `dir` and an overlay file mapping Debian's sources to them;
 * returns the overlay file's path for `go build -overlay`.
 */
export function writeOverlay(govmomiDir: string, dir: string): string {
  const replace: Record<string, string> = {};
  for (const fix of FIXES) {
    const original = path.join(govmomiDir, fix.file);
    const source = readFileSync(original, 'utf8');
    if (!source.includes(fix.find)) {
      throw new Error(`vcsim fix for ${fix.upstream} no longer applies to ${original}: the installed govmomi changed; check whether it has the fix and drop it from test/peers/vcsim-patches.ts`);
    }
    const fixed = path.join(dir, fix.file);
    mkdirSync(path.dirname(fixed), { recursive: true });
    writeFileSync(fixed, source.replace(fix.find, fix.replace));
    replace[original] = fixed;
  }
  const overlay = path.join(dir, 'overlay.json');
  writeFileSync(overlay, JSON.stringify({ Replace: replace }));
  return overlay;
}
