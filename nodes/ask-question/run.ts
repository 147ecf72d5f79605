import {
  defineRunner,
  durationToMs,
  type Json,
  renderText,
  type StepContext,
  type StepData,
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
    await ask(ctx, ctx.render(ctx.data.question));
    const state: AskState = { retries: 0, deadline: timeoutMs === null ? null : ctx.services.now() + timeoutMs };
    const scale = surveyScale(ctx.data);
    return {
      type: 'pause',
      wait: { kind: 'reply', timeoutMs },
      state,
      ...(scale ? { survey: { kind: 'asked', ...scale } } : {}),
    };
  },

  async resume(ctx, event): Promise<StepOutcome<AskState>> {
    if (event.kind === 'deadline') {
      return { type: 'exit', exit: 'timeout', note: 'no answer before the timeout', ...exchange(ctx) };
    }
    const answer = parseAnswer(ctx.data, event.text);
    const data = exchange(ctx, { reply: event.text, readAs: answer.ok ? answer.value : null });
    if (answer.ok) {
      const scale = surveyScale(ctx.data);
      const survey: SurveySignal | undefined =
        scale && typeof answer.value === 'number' ? { kind: 'answered', ...scale, value: answer.value } : undefined;
      return {
        type: 'exit',
        exit: 'answered',
        variables: { [ctx.data.saveAs]: answer.value },
        ...data,
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
        ...data,
      };
    }
    const timeoutMs = state.deadline === null ? null : state.deadline - ctx.services.now();
    if (timeoutMs !== null && timeoutMs <= 0) {
      return { type: 'exit', exit: 'invalid', note: `${rejected}; no time left to ask again`, ...data };
    }
    const retryMessage = ctx.data.retryMessage ? ctx.render(ctx.data.retryMessage) : expectedAnswer(ctx.data);
    await ask(ctx, retryMessage);
    return {
      type: 'pause',
      wait: { kind: 'reply', timeoutMs },
      state: { retries: state.retries + 1, deadline: state.deadline },
      note: `${rejected}; asked again (retry ${state.retries + 1} of ${ctx.data.maxRetries})`,
    };
  },
});

async function ask(ctx: StepContext<AskQuestionData>, text: string): Promise<void> {
  const quickReplies = quickRepliesFor(ctx.data);
  await ctx.services.channel.send({ text, ...(quickReplies ? { quickReplies } : {}) });
}

/**
 * What the run log shows on the entry that ends the step: the question with its options, and
 * the reply with the value read from it (`readAs`, null when it was not a valid answer). A
 * paused entry shows nothing: the transcript holds the question already, and a waiting run's
 * record is kept by the hundred thousand. The question is filled in again from the same
 * variables, quietly: its missing variables were reported when it was asked.
 */
function exchange(ctx: StepContext<AskQuestionData>, received?: Json): StepData {
  const quickReplies = quickRepliesFor(ctx.data);
  const sent = {
    text: renderText(ctx.data.question, ctx.scope),
    ...(quickReplies ? { quickReplies: [...quickReplies] } : {}),
  };
  return { sent, ...(received === undefined ? {} : { received }) };
}

function surveyScale(data: AskQuestionData): Pick<Extract<SurveySignal, { kind: 'asked' }>, 'metric' | 'scale'> | null {
  const metric = surveyMetric(data);
  return metric ? { metric, scale: ratingScale(data) } : null;
}

function excerpt(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 80 ? `${trimmed.slice(0, 77)}…` : trimmed;
}
