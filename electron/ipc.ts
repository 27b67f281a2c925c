// IPC channel names shared by the main process and the preload script.
export const INVOKE_CHANNEL = 'polyvisor:invoke';
export const EVENT_CHANNEL = 'polyvisor:event';
