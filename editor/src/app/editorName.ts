const nameStorage = 'convoflow.editorName';

/**
 * The name this browser saves under, shown to a colleague whose save it overtakes. There are no
 * accounts yet: it is what the person typed (asked on the sign-in page), kept in localStorage.
 */
export const editorName = {
  get: (): string => localStorage.getItem(nameStorage)?.trim() || defaultEditorName(navigator.userAgent),
  set: (name: string) => {
    if (name.trim()) localStorage.setItem(nameStorage, name.trim());
    else localStorage.removeItem(nameStorage);
  },
};

const browsers: [pattern: RegExp, name: string][] = [
  [/Edg\//, 'Edge'],
  [/Firefox\//, 'Firefox'],
  [/Chrom(e|ium)\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];

export function defaultEditorName(userAgent: string): string {
  const browser = browsers.find(([pattern]) => pattern.test(userAgent))?.[1] ?? 'a browser';
  return `Editor on ${browser}`;
}
