// The one place where a call from outside (Electron IPC, the web-mode WebSocket,
// the CLI, tests) meets the core: the channel must exist and its arguments must
// match the channel's schema before any handler runs. Bad input is INVALID_INPUT
// naming the field, never INTERNAL.

import type { z } from 'zod';
import { isChannel, type Channel, type ChannelArgs, type ChannelHandlers, type ChannelResult } from '../../../shared/contract';
import { CHANNEL_ARG_NAMES, CHANNEL_ARGS } from '../../../shared/contract-schemas';
import { PolyvisorError } from '../../../shared/errors';

export type Dispatch = <C extends Channel>(channel: C, args: ChannelArgs<C>) => Promise<ChannelResult<C>>;

export function createDispatcher(handlers: ChannelHandlers): (channel: unknown, args: unknown) => Promise<unknown> {
  return async (channel, args) => {
    if (!isChannel(channel)) throw invalid(`Unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}.`);
    const checked = checkArgs(channel, args);
    const handler = handlers[channel] as (...a: unknown[]) => unknown;
    return handler(...checked);
  };
}

export function checkArgs<C extends Channel>(channel: C, args: unknown): unknown[] {
  if (!Array.isArray(args)) throw invalid(`${channel}: the arguments must be a list.`);
  // trailing undefined arguments (optional ones left out by JSON) are the same as absent
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  const schema = CHANNEL_ARGS[channel] as z.ZodType<unknown[]>;
  const result = schema.safeParse(args.slice(0, end));
  if (result.success) return result.data;
  throw invalid(`${channel}: ${describeIssues(result.error.issues, CHANNEL_ARG_NAMES[channel])}`);
}

function describeIssues(issues: readonly z.core.$ZodIssue[], argNames: readonly string[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const [first, ...rest] = issue.path;
      const name = typeof first === 'number' ? (argNames[first] ?? `argument ${first + 1}`) : 'arguments';
      const where = [name, ...rest.map(String)].join('.');
      return `${where} ${issueText(issue)}`;
    })
    .join('; ');
}

function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${issue.expected}`;
    case 'unrecognized_keys':
      return `has unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'too_big':
      return issue.origin === 'array' && issue.path.length === 0 ? 'has too many arguments' : `is too large (${issue.message})`;
    case 'too_small':
      return `is too small (${issue.message})`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

function invalid(message: string): PolyvisorError {
  return new PolyvisorError({ code: 'INVALID_INPUT', message });
}
