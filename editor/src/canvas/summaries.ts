import { isRecord } from './registry.ts';

/**
 * One line a node card shows under its title: the gist of its config, per node type.
 * Types without an entry show their description.
 */
const summaries: Record<string, (data: Record<string, unknown>) => string | undefined> = {
  'trigger.conversationClosed': (data) => {
    const channels = strings(data.channels);
    const categories = strings(data.categories);
    if (channels.length === 0 && categories.length === 0) return 'Every closed conversation';
    return [channels.length ? `on ${channels.join(', ')}` : '', categories.length ? `in ${categories.join(', ')}` : '']
      .filter(Boolean)
      .join(' · ');
  },
  'trigger.shortcut': (data) => text(data.label) && `Button “${text(data.label)}”`,
  askQuestion: (data) => {
    const question = text(data.question);
    if (!question) return undefined;
    const save = text(data.saveAs);
    return `${question}${save ? `  → $${save}` : ''}`;
  },
  sendMessage: (data) => text(data.text),
  branch: (data) => {
    const branches = Array.isArray(data.branches) ? data.branches.filter(isRecord) : [];
    return branches.length ? `${branches.length} branch${branches.length === 1 ? '' : 'es'} + else` : undefined;
  },
  wait: (data) => duration(data.duration),
  'googleSheets.addRow': (data) => {
    const sheet = text(data.sheet);
    const columns = Array.isArray(data.columns) ? data.columns.length : 0;
    return sheet ? `Tab “${sheet}” · ${columns} column${columns === 1 ? '' : 's'}` : undefined;
  },
  'http.request': (data) => {
    const url = text(data.url);
    return url ? `${text(data.method) || 'POST'} ${url}` : undefined;
  },
};

export function summaryOf(type: string | undefined, data: Record<string, unknown>): string | undefined {
  const summarise = type ? summaries[type] : undefined;
  return summarise?.(data) || undefined;
}

/** The text on an exit handle: a branch's label when it has one, else the exit's name. */
export function exitLabel(type: string | undefined, data: Record<string, unknown>, exit: string): string {
  if (type === 'branch' && Array.isArray(data.branches)) {
    const branch = data.branches.filter(isRecord).find((b) => b.id === exit);
    if (branch && typeof branch.label === 'string' && branch.label.trim()) return branch.label;
  }
  return exit;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

function duration(value: unknown): string | undefined {
  if (!isRecord(value) || typeof value.value !== 'number' || typeof value.unit !== 'string') return undefined;
  return `Wait ${value.value} ${value.unit}`;
}
