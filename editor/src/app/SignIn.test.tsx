import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import { defaultEditorName, editorName } from './editorName.ts';
import { SignIn } from './SignIn.tsx';

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({ 'GET /api/workflows': () => ({ json: [] }) });
});

afterEach(async () => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
  await server.close();
});

describe('the sign-in page', () => {
  it('asks for the name saves go under, offering the browser default, and keeps the one typed', async () => {
    const signedIn = vi.fn();
    render(<SignIn message={null} onSignedIn={signedIn} />);
    const name = screen.getByTestId('editor-name') as HTMLInputElement;
    expect(name.value).toBe(defaultEditorName(navigator.userAgent));

    fireEvent.change(screen.getByTestId('api-key'), { target: { value: 'key' } });
    fireEvent.change(name, { target: { value: 'Grace Hopper' } });
    fireEvent.click(screen.getByTestId('sign-in'));
    await waitFor(() => expect(signedIn).toHaveBeenCalled());
    expect(editorName.get()).toBe('Grace Hopper');

    cleanup();
    render(<SignIn message={null} onSignedIn={signedIn} />);
    expect((screen.getByTestId('editor-name') as HTMLInputElement).value).toBe('Grace Hopper');
  });
});
