import { testStepContext } from '@convoflow/engine';
import { describe, expect, it } from 'vitest';
import { type AskQuestionData, askQuestion, askQuestionSchema } from './definition.ts';
import { expectedAnswer, parseAnswer, quickRepliesFor } from './parse-answer.ts';
import { askQuestionRunner } from './run.ts';

const csat = askQuestionSchema.parse({
  question: 'How satisfied are you, $contact.name?',
  answerType: 'rating',
  min: 1,
  max: 5,
  saveAs: 'rating',
  retryMessage: 'Please answer with a number from 1 to 5.',
  maxRetries: 2,
  timeout: { value: 24, unit: 'hours' },
});

const rules = (input: Record<string, unknown>): AskQuestionData =>
  askQuestionSchema.parse({ question: 'Q?', saveAs: 'answer', ...input });

describe('parseAnswer', () => {
  const rating = rules({ answerType: 'rating' });
  it.each([
    ['4', 4],
    [' 4 ', 4],
    ['4/5', 4],
    ['4 / 5', 4],
    ['4 out of 5', 4],
    ['4 stars', 4],
    ['1 star', 1],
    ['5!', 5],
    ['⭐⭐⭐⭐', 4],
    ['⭐️⭐️⭐️', 3],
    ['★★★☆☆', 3],
    ['four', 4],
    ['Five.', 5],
    ['4️⃣', 4],
    ['４', 4],
    ['great!', null],
    ['6', null],
    ['0', null],
    ['4.5', null],
    ['4/10', null],
    ['4 or 5', null],
    ['', null],
    ['☆☆☆', null],
  ])('rating 1–5: %j → %j', (reply, expected) => {
    const parsed = parseAnswer(rating, reply);
    expect(parsed).toEqual(expected === null ? { ok: false } : { ok: true, value: expected });
  });

  it('uses 0–10 for an NPS rating without bounds', () => {
    const nps = rules({ answerType: 'rating', metric: 'nps' });
    expect(parseAnswer(nps, '0')).toEqual({ ok: true, value: 0 });
    expect(parseAnswer(nps, '10')).toEqual({ ok: true, value: 10 });
    expect(parseAnswer(nps, '🔟')).toEqual({ ok: true, value: 10 });
    expect(parseAnswer(nps, '11')).toEqual({ ok: false });
  });

  it.each([
    [{}, '42', 42],
    [{}, '-3.5', -3.5],
    [{}, '3,5', 3.5],
    [{ min: 0, max: 100 }, '101', null],
    [{ min: 10 }, '9', null],
    [{}, 'a lot', null],
  ])('number %j: %j → %j', (bounds, reply, expected) => {
    const parsed = parseAnswer(rules({ answerType: 'number', ...bounds }), reply);
    expect(parsed).toEqual(expected === null ? { ok: false } : { ok: true, value: expected });
  });

  const choice = rules({ answerType: 'multipleChoice', options: ['Billing', 'Technical support', 'Other'] });
  it.each([
    ['billing', 'Billing'],
    ['  TECHNICAL   support ', 'Technical support'],
    ['2', 'Technical support'],
    ['3.', 'Other'],
    ['Other!', 'Other'],
    ['4', null],
    ['bill', null],
  ])('multiple choice: %j → %j', (reply, expected) => {
    const parsed = parseAnswer(choice, reply);
    expect(parsed).toEqual(expected === null ? { ok: false } : { ok: true, value: expected });
  });

  it.each([
    ['ada@example.com', true],
    [' Ada.Lovelace+csat@mail.example.co.uk ', true],
    ['ada@example', false],
    ['ada at example.com', false],
    ['@example.com', false],
  ])('email: %j valid=%j', (reply, valid) => {
    expect(parseAnswer(rules({ answerType: 'email' }), reply).ok).toBe(valid);
  });

  it('takes any non-empty text, trimmed', () => {
    expect(parseAnswer(rules({ answerType: 'text' }), '  fast and kind  ')).toEqual({
      ok: true,
      value: 'fast and kind',
    });
    expect(parseAnswer(rules({ answerType: 'text' }), '   ')).toEqual({ ok: false });
  });

  it('names the expected answer in the default retry message', () => {
    expect(expectedAnswer(rating)).toBe('Please answer with a number from 1 to 5.');
    expect(expectedAnswer(choice)).toBe('Please answer with one of: 1. Billing, 2. Technical support, 3. Other.');
  });
});

describe('askQuestion schema', () => {
  it.each([
    [{ answerType: 'multipleChoice', options: ['Only one'] }, 'options'],
    [{ answerType: 'multipleChoice', options: ['Yes', ' yes'] }, 'options'],
    [{ answerType: 'rating', min: 5, max: 1 }, 'max'],
    [{ answerType: 'rating', min: 1, max: 100 }, 'max'],
    [{ answerType: 'number', min: 3, max: 3 }, 'max'],
    [{ answerType: 'text', metric: 'csat' }, 'metric'],
    [{ answerType: 'rating', saveAs: '$rating' }, 'saveAs'],
    [{ answerType: 'rating', saveAs: 'contact' }, 'saveAs'],
    [{ answerType: 'rating', saveAs: '__proto__' }, 'saveAs'],
    [{ answerType: 'rating', saveAs: 'constructor' }, 'saveAs'],
  ])('rejects %j at %s', (input, path) => {
    const parsed = askQuestionSchema.safeParse({ question: 'Q?', saveAs: 'answer', ...input });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('declares a number variable for ratings and a string one for text', () => {
    expect(askQuestion.variables(csat)).toEqual([expect.objectContaining({ name: 'rating', type: 'number' })]);
    expect(askQuestion.variables(rules({ answerType: 'email', saveAs: 'email' }))[0]?.type).toBe('string');
  });
});

describe('askQuestion runner', () => {
  const now = 1_700_000_000_000;
  const stars = [1, 2, 3, 4, 5].map((value) => ({ title: '⭐'.repeat(value), value: String(value) }));
  const context = (state: Parameters<typeof testStepContext>[1] = {}, data: AskQuestionData = csat) =>
    testStepContext(data, { scope: { contact: { name: 'Ada' } }, services: { now: () => now }, ...state });

  it('asks with a star per rating value as quick replies and waits for a reply up to the timeout', async () => {
    const ctx = context();
    const outcome = await askQuestionRunner.run(ctx);
    expect(ctx.sent).toEqual([{ text: 'How satisfied are you, Ada?', quickReplies: stars }]);
    expect(outcome).toEqual({
      type: 'pause',
      wait: { kind: 'reply', timeoutMs: 24 * 3_600_000 },
      state: { retries: 0, deadline: now + 24 * 3_600_000 },
      survey: { kind: 'asked', metric: 'csat', scale: { min: 1, max: 5 } },
    });
  });

  it('offers numbers, not stars, on a scale past five (NPS 0–10)', () => {
    const nps = rules({ answerType: 'rating', metric: 'nps' });
    expect(quickRepliesFor(nps)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  });

  it('waits forever without a timeout and reports no survey for a text question', async () => {
    const text = rules({ answerType: 'text', saveAs: 'comment' });
    const ctx = context({}, text);
    const outcome = await askQuestionRunner.run(ctx);
    expect(outcome).toEqual({
      type: 'pause',
      wait: { kind: 'reply', timeoutMs: null },
      state: { retries: 0, deadline: null },
    });
    expect(ctx.sent).toEqual([{ text: 'Q?' }]);
  });

  it('saves a valid answer with its type and reports it to the survey', async () => {
    const ctx = context({ state: { retries: 0, deadline: now + 1000 } });
    const outcome = await askQuestionRunner.resume!(ctx, { kind: 'reply', text: '⭐⭐⭐⭐', receivedAt: now });
    expect(outcome).toEqual({
      type: 'exit',
      exit: 'answered',
      variables: { rating: 4 },
      // The run log: the question as asked, the reply and how it was read.
      sent: { text: 'How satisfied are you, Ada?', quickReplies: stars },
      received: { reply: '⭐⭐⭐⭐', readAs: 4 },
      survey: { kind: 'answered', metric: 'csat', scale: { min: 1, max: 5 }, value: 4 },
    });
  });

  it('re-asks an invalid answer with the retry message, keeping the original deadline', async () => {
    const deadline = now + 60_000;
    const ctx = context({ state: { retries: 0, deadline } });
    const outcome = await askQuestionRunner.resume!(ctx, { kind: 'reply', text: 'great!', receivedAt: now });
    expect(ctx.sent).toEqual([{ text: 'Please answer with a number from 1 to 5.', quickReplies: stars }]);
    expect(outcome).toMatchObject({
      type: 'pause',
      wait: { kind: 'reply', timeoutMs: 60_000 },
      state: { retries: 1, deadline },
    });
    // A paused entry adds nothing to the waiting run's record: the note names the reply.
    expect(outcome).not.toHaveProperty('received');
    expect(outcome.note).toMatch(/"great!" is not a valid rating answer; asked again \(retry 1 of 2\)/);
  });

  it('uses a default retry message naming the options when none is set', async () => {
    const choice = rules({ answerType: 'multipleChoice', options: ['Yes', 'No'] });
    const ctx = context({ state: { retries: 0, deadline: null } }, choice);
    await askQuestionRunner.resume!(ctx, { kind: 'reply', text: 'maybe', receivedAt: now });
    expect(ctx.sent).toEqual([{ text: 'Please answer with one of: 1. Yes, 2. No.', quickReplies: ['Yes', 'No'] }]);
  });

  it('leaves by "invalid" once the retries are used up', async () => {
    const ctx = context({ state: { retries: 2, deadline: null } });
    const outcome = await askQuestionRunner.resume!(ctx, { kind: 'reply', text: '6', receivedAt: now });
    expect(outcome).toMatchObject({ type: 'exit', exit: 'invalid', received: { reply: '6', readAs: null } });
    expect(outcome.note).toMatch(/no retries left/);
    expect(ctx.sent).toEqual([]);
  });

  it('walks a whole conversation: invalid, invalid, valid', async () => {
    let state = null;
    const replies = ['great!', 'seven', '5 stars'];
    const outcomes = [];
    for (const text of replies) {
      const ctx = context({ state });
      const outcome = await askQuestionRunner.resume!(ctx, { kind: 'reply', text, receivedAt: now });
      outcomes.push(outcome);
      state = outcome.type === 'pause' ? (outcome.state ?? null) : null;
    }
    expect(outcomes.map((o) => (o.type === 'exit' ? o.exit : o.type))).toEqual(['pause', 'pause', 'answered']);
  });

  it('leaves by "invalid" when an invalid answer arrives with no time left to ask again', async () => {
    const ctx = context({ state: { retries: 0, deadline: now } });
    const outcome = await askQuestionRunner.resume!(ctx, { kind: 'reply', text: 'nope', receivedAt: now });
    expect(outcome).toMatchObject({ type: 'exit', exit: 'invalid' });
    expect(ctx.sent).toEqual([]);
  });

  it('leaves by "timeout" when the reply’s time limit passes', async () => {
    const outcome = await askQuestionRunner.resume!(context({ state: { retries: 1, deadline: now } }), {
      kind: 'deadline',
    });
    expect(outcome).toMatchObject({ type: 'exit', exit: 'timeout', sent: { text: 'How satisfied are you, Ada?' } });
    expect(outcome).not.toHaveProperty('received');
  });

  it('reports number answers to the survey only when a metric is set (NPS on 0–10)', async () => {
    const nps = rules({ answerType: 'number', metric: 'nps', saveAs: 'nps' });
    const answered = await askQuestionRunner.resume!(context({}, nps), { kind: 'reply', text: '9', receivedAt: now });
    expect(answered).toMatchObject({
      variables: { nps: 9 },
      survey: { kind: 'answered', metric: 'nps', scale: { min: 0, max: 10 }, value: 9 },
    });
    const plain = rules({ answerType: 'number', saveAs: 'count' });
    const counted = await askQuestionRunner.resume!(context({}, plain), { kind: 'reply', text: '12', receivedAt: now });
    expect(counted).toEqual({
      type: 'exit',
      exit: 'answered',
      variables: { count: 12 },
      sent: { text: 'Q?' },
      received: { reply: '12', readAs: 12 },
    });
  });
});
