// Where parsing a get_all_records answer in the parse worker starts to pay (OFFLOAD_ABOVE_BYTES):
// answers of growing size parsed inline (the time of the longest chunk is how long the
// event loop is held at once) and through the worker (the main thread's share is copying
// and posting the chunks). Prints one line per size.
import { JsonRecordsReader } from '../electron/core/providers/xenserver/json-records';
import { parsePool } from '../electron/core/providers/parse-pool';
import { keepNeededFor } from '../electron/core/providers/xenserver/record-reduction';
const rec = JSON.stringify({ name_label: 'vm', power_state: 'Running', other_config: { a: 'x'.repeat(2000) }, VCPUs_max: 2, resident_on: 'OpaqueRef:h', snapshots: [] });
const limits = { maxHeadBytes: 1e9, maxRecordBytes: 1e8, maxRecords: 1e7 };
function answer(bytes: number): Buffer[] {
  const n = Math.max(1, Math.round(bytes / rec.length));
  const body = Buffer.from(`{"jsonrpc":"2.0","result":{${Array.from({ length: n }, (_, i) => `"OpaqueRef:${i}":${rec}`).join(',')}},"id":1}`);
  const chunks: Buffer[] = []; for (let i = 0; i < body.length; i += 65536) chunks.push(body.subarray(i, i + 65536)); return chunks;
}
// the worker started and warm before measuring
{ const j = parsePool().start('xapi-records', { where: 'w', limits, keepNeededOf: 'vm' }, () => {}); for (const c of answer(1e5)) j.push(c); await j.finish(); }
for (const size of [64e3, 256e3, 1e6, 4e6, 16e6, 64e6]) {
  const chunks = answer(size);
  let t = performance.now(); let maxBlock = 0;
  const r = new JsonRecordsReader('x', limits, keepNeededFor('vm'));
  for (const c of chunks) { const t0 = performance.now(); r.push(c); maxBlock = Math.max(maxBlock, performance.now() - t0); }
  r.finish(); const inline = performance.now() - t;
  t = performance.now(); let mainBusy = 0;
  const j = parsePool().start('xapi-records', { where: 'w', limits, keepNeededOf: 'vm' }, () => {});
  for (const c of chunks) { const t0 = performance.now(); const w = j.push(c); mainBusy += performance.now() - t0; if (w) await w; }
  await j.finish(); const worker = performance.now() - t;
  console.log(`${(size / 1e6).toFixed(2)} MB: inline ${inline.toFixed(1)} ms (longest chunk ${maxBlock.toFixed(1)} ms); worker ${worker.toFixed(1)} ms wall (main thread posting ${mainBusy.toFixed(1)} ms)`);
}
process.exit(0);
