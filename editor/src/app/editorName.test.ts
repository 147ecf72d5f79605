import { afterEach, describe, expect, it } from 'vitest';
import { defaultEditorName, editorName } from './editorName.ts';

describe('the editor name', () => {
  afterEach(() => localStorage.clear());

  it('defaults to the browser it is used on', () => {
    const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
    expect(defaultEditorName(chrome)).toBe('Editor on Chrome');
    expect(defaultEditorName('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe(
      'Editor on Firefox',
    );
    expect(defaultEditorName('curl/8.5')).toBe('Editor on a browser');
  });

  it('keeps the name typed, trimmed, and falls back to the default when cleared', () => {
    editorName.set('  Grace  ');
    expect(editorName.get()).toBe('Grace');
    editorName.set(' ');
    expect(editorName.get()).toBe(defaultEditorName(navigator.userAgent));
  });
});
