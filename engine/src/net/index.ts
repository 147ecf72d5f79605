/** Server-only SDK for node run code: every outgoing call of a workflow goes through here. */
export * from './address-policy.ts';
export * from './guarded-dispatcher.ts';
