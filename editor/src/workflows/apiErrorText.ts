import { ApiError } from '../api/client.ts';

/** An API error in words: the message, plus each validation issue the message leaves out. */
export function apiErrorText(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const issues = issueLines(error.details).filter((issue) => !error.message.includes(issue.message));
  return issues.length ? `${error.message}\n${issues.map((issue) => issue.text).join('\n')}` : error.message;
}

function issueLines(details: unknown): { message: string; text: string }[] {
  const list = isRecord(details) ? (details.issues ?? details.problems) : details;
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).flatMap((issue) => {
    const message = issue.message;
    if (typeof message !== 'string') return [];
    const path = Array.isArray(issue.path)
      ? issue.path.join('.')
      : typeof issue.path === 'string'
        ? issue.path
        : typeof issue.nodeId === 'string'
          ? `node ${issue.nodeId}`
          : '';
    return [{ message, text: path ? `• ${path}: ${message}` : `• ${message}` }];
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
