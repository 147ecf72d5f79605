import { describe, expect, it } from 'vitest';
import { ConnectionNotFoundError } from './errors.ts';
import type { GoogleConnection } from './runner.ts';
import { testStepContext } from './testing.ts';

const google: GoogleConnection = {
  id: 'google',
  type: 'google',
  name: 'Sheets',
  serviceAccountKey: { client_email: 'bot@example.iam.gserviceaccount.com', private_key: 'k' },
};

describe('testStepContext', () => {
  it('renders with the engine templating and records missing variables as warnings', () => {
    const ctx = testStepContext({ text: 'Hi $contact.name' }, { scope: { contact: { name: 'Ada' }, rating: 4 } });
    expect(ctx.render(ctx.data.text)).toBe('Hi Ada');
    expect(ctx.renderValue('$rating')).toBe(4);
    expect(JSON.parse(ctx.renderJson('{"r": $rating, "n": "$contact.name"}'))).toEqual({ r: 4, n: 'Ada' });
    expect(ctx.render('[$assignee.name]')).toBe('[]');
    expect(ctx.warnings).toEqual(['Variable "$assignee.name" is not set; it was rendered empty.']);
  });

  it('records what the step sends and logs', async () => {
    const ctx = testStepContext({});
    await ctx.services.channel.send({ text: 'How was it?', quickReplies: ['1', '2'] });
    ctx.log.info('asked');
    ctx.log.warn('careful');
    expect(ctx.sent).toEqual([{ text: 'How was it?', quickReplies: ['1', '2'] }]);
    expect(ctx.infos).toEqual(['asked']);
    expect(ctx.warnings).toEqual(['careful']);
  });

  it('resolves connections from the given map and rejects unknown ids', async () => {
    const ctx = testStepContext({}, { connections: { google } });
    await expect(ctx.services.connections.get('google')).resolves.toBe(google);
    await expect(ctx.services.connections.get('toString')).rejects.toBeInstanceOf(ConnectionNotFoundError);
    await expect(ctx.services.connections.get('crm')).rejects.toThrow('Connection "crm" does not exist');
  });

  it('has safe defaults and takes overrides', () => {
    const defaults = testStepContext({ a: 1 });
    expect(defaults.services.allowPrivateNetwork).toBe(false);
    expect(defaults.mayHaveRunBefore).toBe(false);
    expect(defaults.state).toBeNull();
    expect(defaults.signal.aborted).toBe(false);
    expect(defaults.idempotencyKey).toBe('run-test:node-test:0');

    const controller = new AbortController();
    const ctx = testStepContext(
      { a: 1 },
      {
        runId: 'r1',
        nodeId: 'ask',
        state: { retries: 1 },
        mayHaveRunBefore: true,
        signal: controller.signal,
        services: { allowPrivateNetwork: true, now: () => 1000 },
      },
    );
    controller.abort();
    expect(ctx.idempotencyKey).toBe('r1:ask:0');
    expect(ctx.state).toEqual({ retries: 1 });
    expect(ctx.mayHaveRunBefore).toBe(true);
    expect(ctx.services.allowPrivateNetwork).toBe(true);
    expect(ctx.services.now()).toBe(1000);
    expect(ctx.signal.aborted).toBe(true);
  });
});
