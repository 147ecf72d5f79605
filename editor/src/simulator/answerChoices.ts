/** How the simulator offers the contact's answer to the bot's last question. */
export type AnswerChoices =
  | { kind: 'stars'; values: number[] }
  | { kind: 'numbers'; values: number[] }
  | { kind: 'options'; values: string[] };

const defaultStars = [1, 2, 3, 4, 5];

/**
 * Star buttons when the question offers 1–5 (or offers nothing: a rating is the common case
 * and typing stays possible), number buttons for other numeric scales such as NPS 0–10, the
 * offered texts otherwise.
 */
export function answerChoices(quickReplies: readonly string[] | undefined): AnswerChoices {
  if (!quickReplies || quickReplies.length === 0) return { kind: 'stars', values: defaultStars };
  const numbers = quickReplies.map((reply) => (/^\s*-?\d+\s*$/.test(reply) ? Number(reply) : Number.NaN));
  if (numbers.some(Number.isNaN)) return { kind: 'options', values: [...quickReplies] };
  if (numbers.every((value) => value >= 1 && value <= 5)) return { kind: 'stars', values: numbers };
  return { kind: 'numbers', values: numbers };
}
