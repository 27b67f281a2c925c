// XAPI failures and network failures as PolyvisorError.
// A XAPI failure is `[CODE, ...params]` (XML-RPC ErrorDescription, JSON-RPC error).

import { PolyvisorError } from '../../../../shared/errors';

const DESCRIBE: Record<string, (p: string[]) => string> = {
  SESSION_AUTHENTICATION_FAILED: () => 'The user name or password was not accepted by the server.',
  SESSION_INVALID: () => 'The session with the server has expired.',
  HOST_IS_SLAVE: (p) => `This host is a pool member; the pool master is ${p[0] ?? 'another host'}.`,
  VM_BAD_POWER_STATE: (p) =>
    `The VM is in the wrong power state for this operation: it must be ${lower(p[1])}, but it is ${lower(p[2])}.`,
  OPERATION_NOT_ALLOWED: (p) => `The server does not allow this operation now${p[0] ? `: ${p[0]}` : ''}.`,
  OTHER_OPERATION_IN_PROGRESS: (p) => `Another operation is in progress on this ${p[0] ?? 'object'}.`,
  HANDLE_INVALID: (p) => `The ${p[0] ?? 'object'} no longer exists on the server.`,
  VM_IS_TEMPLATE: () => 'This operation cannot be performed on a template.',
  SR_FULL: (p) =>
    p.length >= 2 && /^\d+$/.test(p[0]!) && /^\d+$/.test(p[1]!)
      ? `The storage repository is full: ${mib(p[0]!)} are needed, ${mib(p[1]!)} are free.`
      : 'The storage repository is full.',
  // making and changing VMs (issue 14); later xapi splits the memory code into _ORDER [] and _MAXPIN [reason]
  MEMORY_CONSTRAINT_VIOLATION: (p) => `The memory settings are out of order${p[0] ? ` (${p[0]})` : ': static minimum ≤ dynamic minimum ≤ dynamic maximum ≤ static maximum'}.`,
  MEMORY_CONSTRAINT_VIOLATION_ORDER: () => 'The memory settings are out of order: static minimum ≤ dynamic minimum ≤ dynamic maximum ≤ static maximum.',
  MEMORY_CONSTRAINT_VIOLATION_MAXPIN: () => 'Without dynamic memory control the dynamic range must equal the static maximum.',
  VBD_NOT_EMPTY: () => 'The CD drive is not empty: eject the disc first.',
  VBD_IS_EMPTY: () => 'The CD drive is already empty.',
  VBD_NOT_REMOVABLE_MEDIA: () => 'This drive has no removable media.',
  VBD_CDS_MUST_BE_READONLY: () => 'A CD drive must be read-only.',
  DEVICE_ALREADY_EXISTS: (p) => `The VM already has a device at position ${p[0] ?? 'this position'}.`,
  UUID_INVALID: (p) => `The server knows no ${p[0] ?? 'object'} with the id "${p[1] ?? ''}".`,
  NO_HOSTS_AVAILABLE: () => 'No host in the pool can run this VM.',
  VDI_IN_USE: () => 'The virtual disk is in use.',
  MESSAGE_METHOD_UNKNOWN: (p) => `The server does not know the call ${p[0] ?? ''}.`,
  MESSAGE_PARAMETER_COUNT_MISMATCH: (p) => `The server expected a different number of arguments for ${p[0] ?? 'a call'}.`,
  EVENTS_LOST: () => 'The server dropped queued events.',
  TASK_CANCELLED: () => 'The operation was cancelled.',
  VM_REVERT_FAILED: () => 'The VM could not be reverted to the snapshot.',
  PERMISSION_DENIED: () => 'Your account is not allowed to perform this operation.',
  RBAC_PERMISSION_DENIED: (p) => `Your role does not allow ${p[0] ? `this (the permission ${p[0]})` : 'this operation'}.`,
  // users and access (Xapi_pool.enable_external_auth, Xapi_subject, Xapi_auth); the server's message is left out, it may echo credentials
  POOL_AUTH_ALREADY_ENABLED: () => 'The pool is already joined to a domain.',
  POOL_AUTH_ENABLE_FAILED_WRONG_CREDENTIALS: () => 'The domain did not accept the user name or password given for joining it.',
  POOL_AUTH_ENABLE_FAILED_DOMAIN_LOOKUP_FAILED: () => 'No domain controller of that domain could be found.',
  POOL_AUTH_ENABLE_FAILED_PERMISSION_DENIED: () => 'That account may not join computers to the domain.',
  POOL_AUTH_ENABLE_FAILED_UNAVAILABLE: () => 'The domain controller is unavailable.',
  POOL_AUTH_ENABLE_FAILED: () => 'The pool could not join the domain.',
  AUTH_UNKNOWN_TYPE: (p) => `The server does not know the authentication type ${p[0] ?? ''}.`,
  AUTH_IS_DISABLED: () => 'The pool is not joined to a domain.',
  SUBJECT_CANNOT_BE_RESOLVED: () => 'The domain knows no user or group of that name.',
  SUBJECT_ALREADY_EXISTS: () => 'That user or group is already in the list.',
  ROLE_ALREADY_EXISTS: () => 'The user or group already has that role.',
  ROLE_NOT_FOUND: () => 'The user or group does not have that role.',
  INVALID_VALUE: (p) => `The server does not accept ${p[1] === undefined ? 'this value' : `"${p[1]}"`}${p[0] ? ` for ${p[0]}` : ''}.`,
  VMSS_HAS_VM: () => 'The snapshot schedule still has VMs assigned to it.',
  LICENCE_RESTRICTION: (p) => `The pool's licence does not include this feature${p[0] ? ` (${p[0]})` : ''}.`,
  MESSAGE_REMOVED: () => 'This server release no longer offers this operation.',
  VM_SNAPSHOT_WITH_QUIESCE_NOT_SUPPORTED: () => 'The VM cannot take quiesced snapshots.',
  // migration and hosts; HOST_NOT_ENOUGH_FREE_MEMORY is [needed, available] from a check, [vm] from an evacuation plan
  HOST_NOT_ENOUGH_FREE_MEMORY: (p) =>
    p.length >= 2 && /^\d+$/.test(p[0]!) && /^\d+$/.test(p[1]!)
      ? `The host does not have enough free memory: the VM needs ${mib(p[0]!)}, ${mib(p[1]!)} is free.`
      : 'No host has enough free memory for the VM.',
  VM_REQUIRES_SR: () => 'A disk or CD of the VM is on storage the host cannot reach (local storage or a host\'s own drive).',
  VM_REQUIRES_NETWORK: () => 'The VM needs a network the host does not have.',
  HOST_DISABLED: () => 'The host is disabled (in maintenance mode or being evacuated).',
  HOST_NOT_LIVE: () => 'The host is not running.',
  // pool membership (Xapi_pool.pre_join_checks, Xapi_pool.eject)
  JOINING_HOST_CANNOT_CONTAIN_SHARED_SRS: () => 'The host has shared storage: a host joining a pool cannot bring any.',
  JOINING_HOST_CANNOT_HAVE_RUNNING_VMS: () => 'VMs are running on the host: shut them down before it joins a pool.',
  JOINING_HOST_CANNOT_HAVE_VMS_WITH_CURRENT_OPERATIONS: () => 'An operation is under way on a VM of the host.',
  JOINING_HOST_CANNOT_BE_MASTER_OF_OTHER_HOSTS: () => 'The host is the master of a pool with other hosts.',
  JOINING_HOST_CONNECTION_FAILED: () => 'The host could not reach the pool master.',
  POOL_JOINING_HOST_MUST_HAVE_SAME_PRODUCT_VERSION: () => 'The host runs another product version than the pool master.',
  HOSTS_NOT_HOMOGENEOUS: (p) => `The host is not like the pool's hosts${p[0] ? ` (${p[0]})` : ''}.`,
  HA_IS_ENABLED: () => 'High availability is on: turn it off first.',
  HOST_OFFLINE: () => 'The host cannot be reached.',
  HOST_IS_LIVE: () => 'The host is already running.',
  HOST_NOT_DISABLED: () => 'The host must be disabled first.',
  HOST_IN_USE: () => 'VMs still run on the host.',
  HOST_POWER_ON_MODE_DISABLED: () => 'The host has no remote power-on configured.',
  CANNOT_EVACUATE_HOST: () => 'Not every VM of the host can move away.',
  CANNOT_CONTACT_HOST: () => 'The source pool cannot reach the destination pool.',
};

function mib(bytes: string): string {
  return `${Math.round(Number(bytes) / 1024 ** 2)} MiB`;
}

/** XAPI error descriptions are strings; anything else from a broken server is shown, never stringified deeply. */
export function descriptionText(part: unknown): string {
  if (typeof part === 'string') return part.length > 1000 ? `${part.slice(0, 1000)}…` : part;
  if (typeof part === 'number' || typeof part === 'boolean') return String(part);
  return part === null || part === undefined ? '' : `(${Array.isArray(part) ? 'a list' : typeof part})`;
}

function lower(s: string | undefined): string {
  return (s ?? 'unknown').toLowerCase();
}

export function describeFailure(code: string, params: string[]): string {
  // the code comes from the server: only our own entries, never Object.prototype's
  const describe = Object.hasOwn(DESCRIBE, code) ? DESCRIBE[code] : undefined;
  if (describe) return describe(params);
  const detail = params.filter((p) => p !== '').join(', ');
  return `The server refused the operation (${code}${detail ? `: ${detail}` : ''}).`;
}

/** A XAPI error description as the typed error the UI shows. */
export function xapiFailure(errorDescription: unknown): PolyvisorError {
  const parts = Array.isArray(errorDescription) ? errorDescription.map(descriptionText) : [descriptionText(errorDescription)];
  const [code = 'INTERNAL_ERROR', ...params] = parts.length && parts[0] !== '' ? parts : ['INTERNAL_ERROR', ...parts.slice(1)];
  if (code === 'SESSION_AUTHENTICATION_FAILED') {
    return new PolyvisorError({ code: 'AUTH_FAILED', message: describeFailure(code, params), serverCode: code, serverParams: params });
  }
  if (code === 'TASK_CANCELLED') {
    return new PolyvisorError({ code: 'CANCELLED', message: describeFailure(code, params), serverCode: code, serverParams: params });
  }
  return new PolyvisorError({
    code: 'SERVER_ERROR',
    message: describeFailure(code, params),
    serverCode: code,
    serverParams: params,
    redirectTo: code === 'HOST_IS_SLAVE' ? params[0] : undefined,
  });
}

export function isXapiFailure(e: unknown, serverCode?: string): e is PolyvisorError {
  return (
    e instanceof PolyvisorError &&
    e.info.serverCode !== undefined &&
    (serverCode === undefined || e.info.serverCode === serverCode)
  );
}

/** A network-level failure (refused, reset, TLS, timeout); the cause is kept for certificate classification. */
export function connectionFailure(host: string, port: number, err: unknown): PolyvisorError {
  const reason = networkReason(err);
  return new PolyvisorError(
    { code: 'CONNECTION_FAILED', message: `Cannot talk to ${host}:${port}: ${reason}` },
    { cause: err },
  );
}

function networkReason(err: unknown): string {
  const code = findCode(err);
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused.';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return 'the connection was dropped.';
    case 'ETIMEDOUT':
    case 'ECONNABORTED':
    case 'TimeoutError':
      return 'the server did not answer in time.';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the name could not be resolved.';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host is unreachable.';
    case 'ERR_CANCELED':
    case 'AbortError':
      return 'the connection was closed.';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

function findCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_BAD_RESPONSE') return code;
    const name = (e as { name?: unknown }).name;
    if (name === 'AbortError' || name === 'TimeoutError') return name;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
