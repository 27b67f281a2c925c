// Runtime schemas for the console channels of issue 18: handing a node to a
// viewer outside the window (VMRC, SPICE, RDP, SSH).

import { z } from 'zod';
import { EXTERNAL_VIEWERS, type ExternalViewer } from './external-consoles';

const Id = z.string().min(1).max(512);

export const CONSOLE_CHANNEL_SCHEMAS = {
  'console:external': z.tuple([Id, z.enum(EXTERNAL_VIEWERS as [ExternalViewer, ...ExternalViewer[]])]),
};

export const CONSOLE_CHANNEL_ARG_NAMES = {
  'console:external': ['nodeId', 'viewer'],
} as const;
