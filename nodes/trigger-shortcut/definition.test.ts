import { testStepContext } from '@convoflow/engine';
import { describe, expect, it } from 'vitest';
import { runners } from '../runners.ts';
import { shortcut } from './definition.ts';

describe('trigger.shortcut', () => {
  it('needs a label and fires on the shortcut event', async () => {
    expect(shortcut.schema.safeParse({}).success).toBe(false);
    const data = shortcut.schema.parse({ label: 'Send CSAT survey' });
    expect(shortcut.trigger?.event).toBe('shortcut');
    expect(shortcut.variables(data).map((v) => v.name)).toContain('shortcut.triggeredBy.name');
    expect(await runners['trigger.shortcut'].run(testStepContext(data))).toEqual({ type: 'exit' });
  });
});
