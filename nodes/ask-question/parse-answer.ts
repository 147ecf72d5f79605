import type { QuickReply } from '@convoflow/engine';
import { type AskQuestionData, normaliseOption, ratingScale } from './definition.ts';

export type ParsedAnswer = { ok: true; value: number | string } | { ok: false };

type Rules = Pick<AskQuestionData, 'answerType' | 'min' | 'max' | 'options' | 'metric'>;

const INVALID: ParsedAnswer = { ok: false };

/**
 * Reads a contact's reply leniently, the way people answer on chat: " 4 ", "4/5", "4 stars",
 * "⭐⭐⭐⭐", "four", "4️⃣"; an option by its text (any case or spacing) or its number.
 * Anything that could mean two things ("4 or 5", "great!") is not an answer.
 */
export function parseAnswer(rules: Rules, reply: string): ParsedAnswer {
  const text = reply.normalize('NFKC').trim();
  if (text === '') return INVALID;
  switch (rules.answerType) {
    case 'rating': {
      const scale = ratingScale(rules);
      const value = readNumber(text, scale.max);
      return value !== null && Number.isInteger(value) && value >= scale.min && value <= scale.max
        ? { ok: true, value }
        : INVALID;
    }
    case 'number': {
      const value = readNumber(text, rules.max);
      if (value === null) return INVALID;
      if (rules.min !== undefined && value < rules.min) return INVALID;
      if (rules.max !== undefined && value > rules.max) return INVALID;
      return { ok: true, value };
    }
    case 'multipleChoice':
      return readOption(rules.options ?? [], text);
    case 'email':
      return EMAIL.test(text) ? { ok: true, value: text } : INVALID;
    case 'text':
      return { ok: true, value: text };
  }
}

/** What a valid answer looks like, for the default retry message. */
export function expectedAnswer(rules: Rules): string {
  switch (rules.answerType) {
    case 'rating': {
      const { min, max } = ratingScale(rules);
      return `Please answer with a number from ${min} to ${max}.`;
    }
    case 'number':
      if (rules.min !== undefined && rules.max !== undefined) {
        return `Please answer with a number from ${rules.min} to ${rules.max}.`;
      }
      if (rules.min !== undefined) return `Please answer with a number of at least ${rules.min}.`;
      if (rules.max !== undefined) return `Please answer with a number of at most ${rules.max}.`;
      return 'Please answer with a number.';
    case 'multipleChoice': {
      const options = rules.options ?? [];
      return `Please answer with one of: ${options.map((option, i) => `${i + 1}. ${option}`).join(', ')}.`;
    }
    case 'email':
      return 'Please answer with an e-mail address, like name@example.com.';
    case 'text':
      return 'Please type your answer.';
  }
}

/** The replies offered as buttons: every rating value, or the options. */
export function quickRepliesFor(rules: Rules): QuickReply[] | undefined {
  if (rules.answerType === 'rating') {
    const { min, max } = ratingScale(rules);
    // Stars say a small scale at a glance; 0–10 or 1–10 reads better as numbers.
    const stars = min >= 1 && max <= 5;
    return Array.from({ length: max - min + 1 }, (_, i) => {
      const value = String(min + i);
      return stars ? { title: '⭐'.repeat(min + i), value } : value;
    });
  }
  if (rules.answerType === 'multipleChoice') return rules.options;
  return undefined;
}

const EMAIL =
  /^[^\s@"<>(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/;

const WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};

const TRAILING_PUNCTUATION = /[\s.!]+$/;
/** "4", "-2", "4.5", "4,5" (decimal comma), then "/5", "of 5", "out of 5", "stars", "points". */
const NUMBER_REPLY =
  /^(-?\d+(?:[.,]\d+)?|zero|one|two|three|four|five|six|seven|eight|nine|ten)(?:\s*(?:\/|of|out of)\s*(\d+))?(?:\s*(?:stars?|points?|pts))?$/;
/** Filled stars count; empty stars (☆) may pad the scale: "★★★☆☆" is 3. */
const STARS_REPLY = /^(?:⭐|★|☆|\s|\uFE0F)+$/u;
const KEYCAP_REPLY = /^(\d)\uFE0F?\u20E3$/u;

function readNumber(text: string, scaleMax: number | undefined): number | null {
  if (STARS_REPLY.test(text)) {
    const filled = [...text].filter((ch) => ch === '⭐' || ch === '★').length;
    return filled > 0 ? filled : null;
  }
  const keycap = KEYCAP_REPLY.exec(text);
  if (keycap) return Number(keycap[1]);
  if (text === '🔟') return 10;
  const match = NUMBER_REPLY.exec(text.toLowerCase().replace(TRAILING_PUNCTUATION, ''));
  if (!match) return null;
  const [, amount = '', outOf] = match;
  if (outOf !== undefined && scaleMax !== undefined && Number(outOf) !== scaleMax) return null;
  const value = WORDS[amount] ?? Number(amount.replace(',', '.'));
  return Number.isFinite(value) ? value : null;
}

function readOption(options: readonly string[], text: string): ParsedAnswer {
  const wanted = normaliseOption(text.replace(TRAILING_PUNCTUATION, ''));
  const byText = options.find((option) => normaliseOption(option) === wanted);
  if (byText !== undefined) return { ok: true, value: byText };
  const byNumber = /^(\d+)[.)]?$/.exec(wanted);
  const chosen = byNumber ? options[Number(byNumber[1]) - 1] : undefined;
  return chosen === undefined ? INVALID : { ok: true, value: chosen };
}
