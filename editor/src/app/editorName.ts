const nameStorage = 'convoflow.editorName';

/**
 * The name this browser saves under when signed in with a key (the install's key is shared), shown
 * to a colleague whose save it overtakes: what the person typed on the sign-in page, kept in
 * localStorage. A person signed in with e-mail and password is named by their account instead.
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
