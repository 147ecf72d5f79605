import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TemplatePicture } from './TemplatePicture.tsx';

const workflow = {
  nodes: [
    { id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: {} },
    { id: 'ask', type: 'ask', position: { x: -200, y: 150 }, data: {} },
    { id: 'sheet', type: 'sheet', position: { x: 200, y: 300 }, data: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'ask' },
    { id: 'e2', source: 'ask', sourceHandle: 'answered', target: 'sheet' },
    { id: 'dangling', source: 'ask', target: 'gone' },
  ],
};

afterEach(cleanup);

describe('TemplatePicture', () => {
  it('draws a box per step and a line per connection, skipping edges to missing steps', () => {
    render(
      <TemplatePicture workflow={workflow} title="CSAT" colourOf={(type) => (type === 'ask' ? 'blue' : 'grey')} />,
    );
    const svg = screen.getByRole('img', { name: 'CSAT' });
    expect([...svg.querySelectorAll('rect')].map((rect) => rect.getAttribute('data-node'))).toEqual([
      'start',
      'ask',
      'sheet',
    ]);
    expect(svg.querySelector('[data-node="ask"]')?.getAttribute('fill')).toBe('blue');
    expect([...svg.querySelectorAll('path')].map((path) => path.getAttribute('data-edge'))).toEqual(['e1', 'e2']);
    // From the bottom centre of "start" to the top centre of "ask".
    expect(svg.querySelector('[data-edge="e1"]')?.getAttribute('d')).toBe('M 120 90 C 120 120, -80 120, -80 150');
  });

  it('frames every step: the view box spans from the leftmost to the rightmost box with a margin', () => {
    render(<TemplatePicture workflow={workflow} title="CSAT" />);
    expect(screen.getByRole('img').getAttribute('viewBox')).toBe('-240 -40 720 470');
  });

  it('draws an empty frame for a workflow without steps', () => {
    render(<TemplatePicture workflow={{ nodes: [], edges: [] }} title="Blank" />);
    expect(screen.getByRole('img').getAttribute('viewBox')).toBe('-40 -40 320 170');
  });
});
