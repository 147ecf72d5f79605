import {
  defineRunner,
  durationToMs,
  type Json,
  type OutboundMessage,
  type StepContext,
  type StepOutcome,
  type SurveySignal,
} from '@convoflow/engine';
import { z } from 'zod';
import { type AskQuestionData, askQuestion, ratingScale, surveyMetric } from './definition.ts';
import { expectedAnswer, parseAnswer, quickRepliesFor } from './parse-answer.ts';

/**
 * `deadline` is when the question times out (ms since epoch, null = never). It is fixed when
 * the question is first asked: a retry re-arms the wait with the time that remains, so the
 * contact gets `timeout` in total, not `timeout` per invalid answer.
 */
const AskState = z.object({ retries: z.number().int().min(0), deadline: z.number().nullable() });
type AskState = z.infer<typeof AskState>;

export const askQuestionRunner = defineRunner(askQuestion, {
  state: AskState,
  async run(ctx) {
    const timeoutMs = ctx.data.timeout ? durationToMs(ctx.data.timeout) : null;
    // Re-executed after a crash (`mayHaveRunBefore`), the contact may see the question twice:
    // better than a question that was never sent and a run waiting for nothing.
    const sent = await ask(ctx, ctx.render(ctx.data.question));
    const state: AskState = { retries: 0, deadline: timeoutMs === null ? null : ctx.services.now() + timeoutMs };
    const scale = surveyScale(ctx.data);
    return {
      type: 'pause',
      wait: { kind: 'reply', timeoutMs },
      state,
      sent,
      ...(scale ? { survey: { kind: 'asked', ...scale } } : {}),
    };
  },

  async resume(ctx, event): Promise<StepOutcome<AskState>> {
    if (event.kind === 'deadline') return { type: 'exit', exit: 'timeout', note: 'no answer before the timeout' };
    const answer = parseAnswer(ctx.data, event.text);
    const received = { reply: event.text, readAs: answer.ok ? answer.value : null };
    if (answer.ok) {
      const scale = surveyScale(ctx.data);
      const survey: SurveySignal | undefined =
        scale && typeof answer.value === 'number' ? { kind: 'answered', ...scale, value: answer.value } : undefined;
      return {
        type: 'exit',
        exit: 'answered',
        variables: { [ctx.data.saveAs]: answer.value },
        received,
        ...(survey ? { survey } : {}),
      };
    }
    // A pause from before this state had a deadline (or none at all) counts as a first ask without one.
    const state = ctx.state ?? { retries: 0, deadline: null };
    const rejected = `"${excerpt(event.text)}" is not a valid ${ctx.data.answerType} answer`;
    if (state.retries >= ctx.data.maxRetries) {
      return {
        type: 'exit',
        exit: 'invalid',
        note: `${rejected}; no retries left (${ctx.data.maxRetries})`,
        received,
      };
    }
    const timeoutMs = state.deadline === null ? null : state.deadline - ctx.services.now();
    if (timeoutMs !== null && timeoutMs <= 0) {
      return { type: 'exit', exit: 'invalid', note: `${rejected}; no time left to ask again`, received };
    }
    const retryMessage = ctx.data.retryMessage ? ctx.render(ctx.data.retryMessage) : expectedAnswer(ctx.data);
    const sent = await ask(ctx, retryMessage);
    return {
      type: 'pause',
      received,
      sent,
      wait: { kind: 'reply', timeoutMs },
      state: { retries: state.retries + 1, deadline: state.deadline },
      note: `${rejected}; asked again (retry ${state.retries + 1} of ${ctx.data.maxRetries})`,
    };
  },
});

/**
 * Sends the question (or the retry message) with its options; returns it for the run log.
 * The reply comes in the resumed step's log entry as `received`: the text and the value read
 * from it (`readAs`, null when it was not a valid answer).
 */
async function ask(ctx: StepContext<AskQuestionData>, text: string): Promise<Json> {
  const quickReplies = quickRepliesFor(ctx.data);
  const message: OutboundMessage = { text, ...(quickReplies ? { quickReplies } : {}) };
  await ctx.services.channel.send(message);
  return { text, ...(quickReplies ? { quickReplies: [...quickReplies] } : {}) };
}

function surveyScale(data: AskQuestionData): Pick<Extract<SurveySignal, { kind: 'asked' }>, 'metric' | 'scale'> | null {
  const metric = surveyMetric(data);
  return metric ? { metric, scale: ratingScale(data) } : null;
}

function excerpt(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 80 ? `${trimmed.slice(0, 77)}…` : trimmed;
}
