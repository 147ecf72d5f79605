import { z } from 'zod';

/** A contact's reply waiting in a run's inbox (`run:<id>:inbox`) until one of its waits takes it. */
export const InboxEntry = z.object({
  kind: z.literal('reply'),
  text: z.string(),
  receivedAt: z.number(),
});
export type InboxEntry = z.infer<typeof InboxEntry>;
