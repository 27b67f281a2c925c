// The parse worker's entry: the jobs of every provider that parses large answers off the
// core's event loop (see util/parse-worker.ts), and the reading of the last known trees.
// Bundled as dist-electron/parse-worker.js.
import { lastKnownReadJob, type LastKnownReadInit } from '../connections/last-known-read-job';
import { serveParseJobs } from '../util/parse-worker-host';
import { soapJob, type SoapJobInit } from './vsphere/soap-parse-job';
import { XAPI_PARSE_JOBS } from './xenserver/parse-jobs';

serveParseJobs({
  ...XAPI_PARSE_JOBS,
  'vim-soap': (init: unknown) => soapJob(init as SoapJobInit),
  'last-known-read': (init: unknown) => lastKnownReadJob(init as LastKnownReadInit),
});
