// How large XAPI's answers get, and the XAPI-specific bounds that follow.
//
// Measured against the simulator (every field of the data model in every record,
// as xapi sends them), one VM-class record (guest, snapshot or template) is
// ~2.6 KB of JSON-RPC and ~7.5 KB of XML-RPC. A 50,000-guest estate with two
// snapshots each is ~150,000 VM records:
//   VM.get_all_records  ≈ 400 MB over JSON-RPC, ≈ 1.1 GB over XML-RPC
//     → read as a stream (records cut out and reduced one by one) under
//       LIMITS.maxStreamedBytes (2 GiB): the body never sits in memory whole;
//   every other answer is small (a host record ~9 KB, a task record ~1 KB),
//   except event.from after a mass change: ~2.6 KB per changed VM, so the
//   buffered limit (256 MiB) holds ~100,000 changed VMs in one 30 s poll; a
//   larger batch is not an error of the server: the provider reloads instead
//   (see provider.ts).

/** One record (or one envelope key) in a streamed answer; real ones are a few KB, xenstore-heavy ones ~100 KB. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * Records in one get_all_records answer. Each record costs memory however few its
 * bytes (`"OpaqueRef:…":{}` is 50 bytes on the wire, ~250 in memory): 1,000,000 is
 * 6× the VM records of a 50,000-guest estate with two snapshots each.
 */
export const MAX_RECORDS = 1_000_000;
