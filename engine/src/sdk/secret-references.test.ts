import { describe, expect, it } from 'vitest';
import { renderText } from '../templating/render.ts';
import { ConnectionNotFoundError, ConnectionTypeError } from './errors.ts';
import {
  findSecretReferences,
  maskJson,
  maskText,
  renderWithSecrets,
  resolveSecrets,
  type SecretValues,
} from './secret-references.ts';
import { testStepContext } from './testing.ts';

const secrets: SecretValues = new Map([['crm-token', 'tok_live_0123456789']]);

describe('findSecretReferences', () => {
  it('finds each referenced id once, in order, and ignores look-alikes', () => {
    expect(findSecretReferences('Bearer {{secret:crm-token}} {{secret:b_2}} {{secret:crm-token}}')).toEqual([
      'crm-token',
      'b_2',
    ]);
    expect(findSecretReferences('{{secret:}} {{ secret:a }} {secret:a} {{secret:a b}} $secret')).toEqual([]);
  });
});

describe('renderWithSecrets', () => {
  const render = (scope: Record<string, unknown>) => (text: string) => renderText(text, scope);

  it('puts the secret in and fills $variables around it', () => {
    const value = renderWithSecrets(
      'Bearer {{secret:crm-token}} for $contact.name',
      secrets,
      render({ contact: { name: 'Ada' } }),
    );
    expect(value).toBe('Bearer tok_live_0123456789 for Ada');
  });

  it('never resolves a reference that arrives inside a variable (a contact typing "{{secret:crm-token}}")', () => {
    const value = renderWithSecrets('X-Answer: $answer', secrets, render({ answer: '{{secret:crm-token}}' }));
    expect(value).toBe('X-Answer: {{secret:crm-token}}');
    expect(value).not.toContain('tok_live');
  });

  it('does not read $variables inside a secret value, and keeps $$ and trailing dots as text', () => {
    const dollars: SecretValues = new Map([['odd', 'pa$$word$rating']]);
    expect(renderWithSecrets('$${{secret:odd}} $rating.', dollars, render({ rating: 4 }))).toBe('$pa$$word$rating 4.');
  });

  it('refuses a reference that was not resolved first', () => {
    expect(() => renderWithSecrets('{{secret:other}}', secrets, (text) => text)).toThrow(/not resolved/);
  });
});

describe('resolveSecrets', () => {
  const google = {
    id: 'google',
    type: 'google' as const,
    name: 'Sheets',
    serviceAccountKey: { client_email: 'a@b.c', private_key: 'PRIVATE KEY' },
  };
  const { services } = testStepContext(
    {},
    {
      connections: {
        'crm-token': { id: 'crm-token', type: 'secret', name: 'CRM', value: 'tok_live_0123456789' },
        google,
      },
    },
  );

  it('returns the values of secret connections', async () => {
    expect(await resolveSecrets(services.connections, ['crm-token', 'crm-token'])).toEqual(secrets);
  });

  it('refuses a missing connection and a connection that is not a secret, by name', async () => {
    await expect(resolveSecrets(services.connections, ['nope'])).rejects.toBeInstanceOf(ConnectionNotFoundError);
    const error = await resolveSecrets(services.connections, ['google']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionTypeError);
    expect(error).toMatchObject({ message: expect.stringContaining('"google" is of type "google"') });
  });
});

describe('masking', () => {
  it('replaces every occurrence, the longest secret first', () => {
    const nested: SecretValues = new Map([
      ['short', 'abcdefgh'],
      ['long', 'abcdefgh-ijkl'],
    ]);
    expect(maskText('abcdefgh-ijkl and abcdefgh', nested)).toBe('[secret:long] and [secret:short]');
  });

  it('masks strings deep in a JSON value, keys included', () => {
    expect(
      maskJson(
        { echo: { authorization: 'Bearer tok_live_0123456789' }, tok_live_0123456789: [1, 'tok_live_0123456789'] },
        secrets,
      ),
    ).toEqual({
      echo: { authorization: 'Bearer [secret:crm-token]' },
      '[secret:crm-token]': [1, '[secret:crm-token]'],
    });
  });
});
