import type { WorkflowTemplate } from '@convoflow/engine';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { csatWorkflow } from '../canvas/csat.fixture.ts';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import { WorkflowListPage } from './WorkflowListPage.tsx';

const template: WorkflowTemplate = {
  id: 'csat-sheets-and-crm',
  name: 'CSAT survey to Google Sheets and CRM',
  description: 'Asks for a rating, then records it.',
  workflow: {
    ...structuredClone(csatWorkflow),
    id: 'csat-sheets-and-crm',
    description: 'Asks for a rating, then records it.',
    nodes: csatWorkflow.nodes.map((node) => ({ ...node, data: node.data ?? {} })),
    settings: { reenrollment: { mode: 'always' } },
  },
};

let server: TestServer;
afterEach(async () => {
  cleanup();
  await server.close();
});

async function openGallery() {
  server = await startTestServer({
    'GET /api/workflows': () => ({ json: [] }),
    'GET /api/templates': () => ({ json: [template] }),
    'POST /api/workflows': (request) => ({ status: 201, json: { ...(request.body as object), id: 'wf_new' } }),
  });
  render(<WorkflowListPage />);
  fireEvent.click(await screen.findByTestId('create-workflow'));
  return screen.getByTestId('create-dialog');
}

describe('New workflow: the template gallery', () => {
  it('offers Blank (chosen first) and each template with its description and a picture of its graph', async () => {
    const dialog = await openGallery();
    const option = await within(dialog).findByTestId(`template-${template.id}`);
    expect(within(option).getByText(template.name)).toBeTruthy();
    expect(within(option).getByText('Asks for a rating, then records it.')).toBeTruthy();
    expect(within(option).getByRole('img').querySelectorAll('rect')).toHaveLength(template.workflow.nodes.length);
    expect((within(dialog).getByRole('radio', { name: /Blank/ }) as HTMLInputElement).checked).toBe(true);
    expect(within(dialog).getByLabelText('Starts when')).toBeTruthy();
  });

  it('creates a copy of the chosen template under a new id and a "(copy)" name, never its own id', async () => {
    const dialog = await openGallery();
    fireEvent.click(await within(dialog).findByRole('radio', { name: new RegExp(template.name) }));
    expect(within(dialog).queryByLabelText('Starts when')).toBeNull();
    fireEvent.submit(dialog);

    await waitFor(() => expect(server.requests.some((request) => request.method === 'POST')).toBe(true));
    const posted = server.requests.find((request) => request.method === 'POST')?.body as Record<string, unknown>;
    expect(posted).not.toHaveProperty('id');
    expect(posted).toMatchObject({ name: `${template.name} (copy)`, description: template.description });
    expect(posted.nodes).toEqual(template.workflow.nodes);
  });
});
