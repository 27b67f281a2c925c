// A large SOAP answer read by the parse worker comes back whole: the job's long lists
// (RetrievePropertiesEx's objects, each filterSet's objectSet) leave in parts and are
// put back in order; a fault is the same typed error readSoapReturn gives.
import { describe, expect, it } from 'vitest';
import { readSoapReturn } from '../../electron/core/providers/vsphere/soap-answer';
import { refill, SOAP_PART_CHARS, SOAP_PART_ITEMS, soapJob, type SoapJobResult, type SoapPart } from '../../electron/core/providers/vsphere/soap-parse-job';
import type { XmlNode } from '../../electron/core/providers/vsphere/xml';

const envelope = (method: string, inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><${method}Response xmlns="urn:vim25"><returnval>${inner}</returnval></${method}Response></soapenv:Body></soapenv:Envelope>`;
const objects = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `<${tag}><obj type="VirtualMachine">vm-${i}</obj><kind>enter</kind></${tag}>`).join('');

function throughJob(method: string, body: string, status = 200): XmlNode | undefined {
  const job = soapJob({ method, where: 'vSphere test', status, headers: {} });
  const bytes = Buffer.from(body);
  for (let i = 0; i < bytes.length; i += 4096) job.push(bytes.subarray(i, i + 4096));
  const parts: SoapPart[] = [];
  // the parts cross a structured clone, as between threads
  const { value } = structuredClone(job.finish((part) => parts.push(structuredClone(part as SoapPart)))) as SoapJobResult;
  for (const part of parts) refill(value, part);
  return value;
}

describe('SOAP answers through the parse worker job', () => {
  it('RetrievePropertiesEx: every object back in order, the token kept', () => {
    const body = envelope('RetrievePropertiesEx', `${objects(SOAP_PART_ITEMS * 2 + 7, 'objects')}<token>t1</token>`);
    expect(throughJob('RetrievePropertiesEx', body)).toEqual(readSoapReturn('RetrievePropertiesEx', { status: 200, headers: {}, body }));
  });

  it('WaitForUpdatesEx: each filterSet’s objectSet back in order, one or several filter sets', () => {
    const one = envelope('WaitForUpdatesEx', `<version>2</version><filterSet><filter type="PropertyFilter">f</filter>${objects(SOAP_PART_ITEMS + 1, 'objectSet')}</filterSet>`);
    expect(throughJob('WaitForUpdatesEx', one)).toEqual(readSoapReturn('WaitForUpdatesEx', { status: 200, headers: {}, body: one }));
    const two = envelope('WaitForUpdatesEx', `<version>3</version>${[1, 2].map((f) => `<filterSet><filter type="PropertyFilter">f${f}</filter>${objects(SOAP_PART_ITEMS * f + 3, 'objectSet')}</filterSet>`).join('')}`);
    expect(throughJob('WaitForUpdatesEx', two)).toEqual(readSoapReturn('WaitForUpdatesEx', { status: 200, headers: {}, body: two }));
  });

  it('objects with long text leave in parts of about SOAP_PART_CHARS, not all in one (issue 17: a 120 MB part held the loop)', () => {
    const big = 'd'.repeat(600_000);
    const sets = Array.from({ length: 20 }, (_, i) => `<objectSet><obj type="VirtualMachine">vm-${i}</obj><kind>enter</kind><changeSet><name>snapshot</name><val>${big}</val></changeSet></objectSet>`).join('');
    const body = envelope('WaitForUpdatesEx', `<version>1</version><filterSet><filter type="PropertyFilter">f</filter>${sets}</filterSet>`);
    const job = soapJob({ method: 'WaitForUpdatesEx', where: 'vSphere test', status: 200, headers: {} });
    job.push(Buffer.from(body));
    const parts: SoapPart[] = [];
    const { value } = job.finish((part) => parts.push(part as SoapPart)) as SoapJobResult;
    expect(parts.length).toBeGreaterThanOrEqual(Math.floor((20 * big.length) / SOAP_PART_CHARS));
    for (const part of parts) expect(part.items.length).toBeLessThanOrEqual(Math.ceil(SOAP_PART_CHARS / big.length));
    for (const part of parts) refill(value, part);
    expect(value).toEqual(readSoapReturn('WaitForUpdatesEx', { status: 200, headers: {}, body }));
  });

  it('a fault is the typed error readSoapReturn throws; bytes that are not UTF-8 are refused', () => {
    const fault =
      '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>gone</faultstring><detail><NotAuthenticatedFault xmlns="urn:vim25" xsi:type="NotAuthenticated"></NotAuthenticatedFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>';
    expect(() => throughJob('RetrievePropertiesEx', fault, 500)).toThrow(expect.objectContaining({ info: expect.objectContaining({ code: 'SERVER_ERROR', serverCode: 'NotAuthenticated' }) }));
    const job = soapJob({ method: 'X', where: 'vSphere test', status: 200, headers: {} });
    job.push(Buffer.from([0x3c, 0xff, 0xfe]));
    expect(() => job.finish(() => undefined)).toThrow(/not valid UTF-8/);
  });
});
