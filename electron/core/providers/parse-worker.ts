// The parse worker's entry: the jobs of every provider that parses large answers off the
// core's event loop (see util/parse-worker.ts), and the reading of the last known trees,
// each job's module loaded when it is first asked for (a XAPI connection does not wait
// for the SOAP parser or the inventory's schemas). Bundled as dist-electron/parse-worker.js.
import { serveParseJobs, type ParseJobLoader } from '../util/parse-worker-host';
import type { XAPI_PARSE_JOBS } from './xenserver/parse-jobs';

const xapi = (job: keyof typeof XAPI_PARSE_JOBS): ParseJobLoader => async () => (await import('./xenserver/parse-jobs')).XAPI_PARSE_JOBS[job];

serveParseJobs({
  'xapi-records': xapi('xapi-records'),
  'xapi-event-batch': xapi('xapi-event-batch'),
  'xapi-xmlrpc-records': xapi('xapi-xmlrpc-records'),
  'xapi-xmlrpc-event-batch': xapi('xapi-xmlrpc-event-batch'),
  'vim-soap': async () => (await import('./vsphere/soap-parse-job')).VIM_SOAP_JOB,
  'last-known-read': async () => (await import('../connections/last-known-read-job')).LAST_KNOWN_READ_JOB,
});
