import { defineNode, type Metric, metrics } from '@convoflow/engine';
import { z } from 'zod';
import { durationField, variableName } from '../shared/fields.ts';

export const answerTypes = ['rating', 'multipleChoice', 'text', 'number', 'email'] as const;
export type AnswerType = (typeof answerTypes)[number];

export const askQuestionExits = ['answered', 'invalid', 'timeout'] as const;

/** A rating offers every whole value as a quick reply, so keep the scale short. */
const MAX_RATING_STEPS = 11;

/**
 * One flat object refined by `answerType`, so the editor renders one form and the v1 file
 * format stays as written (`min`/`max` for ratings and numbers, `options` for choices).
 */
export const askQuestionSchema = z
  .object({
    question: z
      .string()
      .trim()
      .min(1, 'write the question to ask')
      .max(4096)
      .meta({ title: 'Question', description: 'Sent to the contact; $variables are filled in', multiline: true }),
    answerType: z
      .enum(answerTypes)
      .default('rating')
      .meta({
        title: 'Answer type',
        description: 'What counts as a valid answer',
        optionLabels: {
          rating: 'Rating',
          multipleChoice: 'Multiple choice',
          text: 'Any text',
          number: 'Number',
          email: 'E-mail address',
        },
      }),
    min: z
      .number()
      .optional()
      .meta({ title: 'Lowest value', description: 'Rating: default 1 (0 for NPS). Number: optional lower bound' }),
    max: z
      .number()
      .optional()
      .meta({ title: 'Highest value', description: 'Rating: default 5 (10 for NPS). Number: optional upper bound' }),
    options: z
      .array(z.string().trim().min(1).max(100))
      .max(20)
      .optional()
      .meta({ title: 'Options', description: 'Multiple choice: the answers offered (at least two)' }),
    saveAs: variableName().meta({
      title: 'Save answer as',
      description: 'Variable name without "$": "rating" makes $rating',
      variables: false,
    }),
    retryMessage: z.string().trim().max(4096).optional().meta({
      title: 'Retry message',
      description: 'Sent after an answer that is not valid; a default names what is expected',
      multiline: true,
    }),
    maxRetries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(2)
      .meta({ title: 'Retries', description: 'Invalid answers re-asked before leaving by "invalid"' }),
    timeout: durationField()
      .optional()
      .meta({ title: 'Give up after', description: 'Leave by "timeout" without an answer; none = wait forever' }),
    metric: z
      .enum(metrics)
      .optional()
      .meta({
        title: 'Survey metric',
        description: 'Counts the answer in the report: a satisfaction, promoter or effort score',
        optionLabels: {
          csat: 'CSAT (customer satisfaction)',
          nps: 'NPS (net promoter score, 0–10)',
          ces: 'CES (customer effort score)',
        },
      }),
  })
  .superRefine((data, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (data.answerType === 'multipleChoice') {
      const options = data.options ?? [];
      if (options.length < 2) issue('options', 'a multiple choice question needs at least two options');
      const normalised = options.map(normaliseOption);
      if (new Set(normalised).size !== normalised.length) issue('options', 'two options read the same');
    }
    if (data.answerType === 'rating') {
      const scale = ratingScale(data);
      if (!Number.isInteger(scale.min) || !Number.isInteger(scale.max)) issue('min', 'rating bounds are whole numbers');
      else if (scale.min >= scale.max) issue('max', `the highest value must be above the lowest (${scale.min})`);
      else if (scale.max - scale.min + 1 > MAX_RATING_STEPS) {
        issue('max', `a rating offers at most ${MAX_RATING_STEPS} values; use a number question for wider ranges`);
      }
    }
    if (data.answerType === 'number' && data.min !== undefined && data.max !== undefined && data.min >= data.max) {
      issue('max', `the highest value must be above the lowest (${data.min})`);
    }
    if (data.metric && data.answerType !== 'rating' && data.answerType !== 'number') {
      issue('metric', 'a survey metric needs a rating or number answer');
    }
  });
export type AskQuestionData = z.infer<typeof askQuestionSchema>;

export const askQuestion = defineNode({
  type: 'askQuestion',
  label: 'Ask question',
  group: 'Questions',
  description: 'Asks the contact a question, waits for the reply and saves a valid answer.',
  icon: '❓',
  schema: askQuestionSchema,
  exits: () => askQuestionExits,
  variables: (data) => [
    {
      name: data.saveAs,
      type: data.answerType === 'rating' || data.answerType === 'number' ? 'number' : 'string',
      description: `The answer to "${data.question}"`,
      exits: ['answered'],
    },
  ],
  pauses: true,
  // "answered" and "invalid" come after a reply, at the contact's pace; "timeout" after the
  // timer (without one it never comes).
  waitBefore: (data, exit) =>
    exit === 'timeout' && data.timeout
      ? { kind: 'timer', field: 'timeout', duration: data.timeout }
      : { kind: 'reply' },
  fieldConditions: {
    min: { field: 'answerType', oneOf: ['rating', 'number'] },
    max: { field: 'answerType', oneOf: ['rating', 'number'] },
    options: { field: 'answerType', oneOf: ['multipleChoice'] },
    metric: { field: 'answerType', oneOf: ['rating', 'number'] },
  },
  summary: (data) => {
    const question = data.question?.trim();
    const save = data.saveAs?.trim();
    return question && `${question}${save ? `  → $${save}` : ''}`;
  },
});

type ScaleInput = Pick<AskQuestionData, 'min' | 'max' | 'metric'>;

/** A rating's bounds: as configured, else 1–5, or 0–10 for NPS. */
export function ratingScale(data: ScaleInput): { min: number; max: number } {
  const nps = data.metric === 'nps';
  return { min: data.min ?? (nps ? 0 : 1), max: data.max ?? (nps ? 10 : 5) };
}

/** The metric a question reports to the analytics, if any: ratings default to CSAT. */
export function surveyMetric(data: Pick<AskQuestionData, 'answerType' | 'metric'>): Metric | null {
  if (data.answerType === 'rating') return data.metric ?? 'csat';
  if (data.answerType === 'number') return data.metric ?? null;
  return null;
}

export function normaliseOption(option: string): string {
  return option.trim().replace(/\s+/g, ' ').toLowerCase();
}
