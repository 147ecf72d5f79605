/**
 * Where credentials sit in the objects the product logs: the process logger (workers/) and the
 * API's request logger both censor these paths, whichever module logs the object holding them.
 */
export const redactedPaths = [
  'apiKey',
  'webhookSecret',
  'encryptionKey',
  'req.headers.authorization',
  'req.headers["x-signature-256"]',
  'headers.authorization',
  'headers["x-signature-256"]',
  '*.serviceAccountKey',
  '*.private_key',
  '*.serviceAccountKey.private_key',
];
