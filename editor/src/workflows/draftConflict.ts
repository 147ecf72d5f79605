import { DraftChangedDetails } from '@convoflow/engine';
import { ApiError } from '../api/client.ts';

/** The details of a save refused because someone saved the draft since (409 DRAFT_CHANGED), else null. */
export function draftChangedIn(error: unknown): DraftChangedDetails | null {
  if (!(error instanceof ApiError) || error.code !== 'DRAFT_CHANGED') return null;
  const parsed = DraftChangedDetails.safeParse(error.details);
  return parsed.success ? parsed.data : null;
}

/** Who saved and when, in words: "Ana at 14:02". */
export function savedByText(conflict: DraftChangedDetails): string {
  return `${conflict.savedBy ?? 'someone using the API'} at ${momentOf(conflict.savedAt)}`;
}

/** "14:02" today, with the date on another day. */
export function momentOf(at: number): string {
  const date = new Date(at);
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return date.toDateString() === new Date().toDateString() ? time : `${date.toLocaleDateString()} ${time}`;
}
