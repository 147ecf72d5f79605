import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets at rest: AES-256-GCM with a fresh 12-byte IV per value. The text format is
 * `v1:<iv>:<tag>:<data>` (base64url parts) so a later format or key rotation can be told apart.
 * `associatedData` binds a ciphertext to its owner (e.g. the connection id): moving it to
 * another record makes decryption fail instead of silently handing out the wrong secret.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptionError extends Error {
  override readonly name = 'DecryptionError';
}

export function encrypt(key: Buffer, plaintext: string, associatedData?: string): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), data]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join(':');
}

export function decrypt(key: Buffer, ciphertext: string, associatedData?: string): string {
  checkKey(key);
  const parts = ciphertext.split(':');
  if (parts[0] !== VERSION) {
    throw new DecryptionError(`Encrypted value has an unknown format "${parts[0] ?? ''}" (expected "${VERSION}").`);
  }
  const [, ivText, tagText, dataText] = parts;
  if (parts.length !== 4 || ivText === undefined || tagText === undefined || dataText === undefined) {
    throw new DecryptionError('Encrypted value is malformed: expected "v1:<iv>:<tag>:<data>".');
  }
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new DecryptionError('Encrypted value is malformed: wrong IV or tag length.');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(dataText, 'base64url')), decipher.final()]).toString('utf8');
  } catch (cause) {
    throw new DecryptionError(
      'Could not decrypt a stored secret: ENCRYPTION_KEY is not the key it was encrypted with, or the stored value was altered.',
      { cause },
    );
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) {
    throw new Error(`The encryption key must be 32 bytes (AES-256), got ${key.length}.`);
  }
}
