import { z } from 'zod';

/**
 * Meta's webhook payloads, read tolerantly: every object keeps fields we do not know
 * (`.loose()`), and each list item is read on its own, so one item of a shape we do not expect
 * does not hide the others of the same POST.
 */

const WebhookChange = z
  .object({
    field: z.string(),
    value: z
      .object({
        metadata: z.object({ phone_number_id: z.string() }).loose(),
        contacts: z.array(z.unknown()).optional(),
        messages: z.array(z.unknown()).optional(),
        statuses: z.array(z.unknown()).optional(),
      })
      .loose(),
  })
  .loose();
export type WebhookValue = z.output<typeof WebhookChange>['value'];

const WebhookEntry = z.object({ changes: z.array(z.unknown()) }).loose();
const Webhook = z.object({ entry: z.array(z.unknown()) }).loose();

export const WebhookContact = z
  .object({ wa_id: z.string().min(1), profile: z.object({ name: z.string().optional() }).loose().optional() })
  .loose();

const messageBase = { id: z.string().min(1), from: z.string().min(1) };
const reply = z.object({ id: z.string().min(1), title: z.string() }).loose();

export const WebhookMessage = z.discriminatedUnion('type', [
  z.object({ ...messageBase, type: z.literal('text'), text: z.object({ body: z.string() }).loose() }).loose(),
  z
    .object({
      ...messageBase,
      type: z.literal('interactive'),
      interactive: z.union([
        z.object({ type: z.literal('button_reply'), button_reply: reply }).loose(),
        z.object({ type: z.literal('list_reply'), list_reply: reply }).loose(),
      ]),
    })
    .loose(),
  z
    .object({
      ...messageBase,
      type: z.literal('button'),
      button: z.object({ payload: z.string().min(1), text: z.string() }).loose(),
    })
    .loose(),
]);
export type WebhookMessage = z.output<typeof WebhookMessage>;

export const FailedStatus = z
  .object({
    id: z.string().min(1),
    status: z.literal('failed'),
    biz_opaque_callback_data: z.string().optional(),
    errors: z
      .array(
        z
          .object({
            code: z.union([z.number(), z.string()]).optional(),
            title: z.string().optional(),
            message: z.string().optional(),
            error_data: z.object({ details: z.string().optional() }).loose().optional(),
          })
          .loose(),
      )
      .optional(),
  })
  .loose();
export type FailedStatus = z.output<typeof FailedStatus>;

/** The items of `list` that read as `schema`; the others are left out. */
export function readEach<Schema extends z.ZodType>(list: readonly unknown[] | undefined, schema: Schema) {
  return (list ?? []).flatMap((item): z.output<Schema>[] => {
    const read = schema.safeParse(item);
    return read.success ? [read.data] : [];
  });
}

/** The `messages` changes of a webhook body; none when the bytes are not a webhook we can read. */
export function webhookValues(rawBody: Buffer): WebhookValue[] {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return [];
  }
  const webhook = Webhook.safeParse(json);
  if (!webhook.success) return [];
  return readEach(webhook.data.entry, WebhookEntry)
    .flatMap((entry) => readEach(entry.changes, WebhookChange))
    .filter((change) => change.field === 'messages')
    .map((change) => change.value);
}

/** Meta's error answer: `{ error: { message, type, code, error_data: { details }, fbtrace_id } }`. */
export const GraphError = z
  .object({
    error: z
      .object({
        message: z.string().optional(),
        type: z.string().optional(),
        code: z.number().optional(),
        error_data: z.object({ details: z.string().optional() }).loose().optional(),
        fbtrace_id: z.string().optional(),
      })
      .loose(),
  })
  .loose();

export const SentMessages = z.object({ messages: z.array(z.object({ id: z.string() }).loose()).min(1) }).loose();

export const PhoneNumber = z
  .object({ display_phone_number: z.string().optional(), verified_name: z.string().optional() })
  .loose();
