import { describe, expect, it } from 'vitest';
import { type Box, clearShift } from './layout.ts';

const card = (x: number, y: number): Box => ({ x, y, width: 240, height: 96 });

/** Whether two boxes share any area, with `clearance` kept between them. */
const touches = (a: Box, b: Box, clearance = 0) =>
  a.x < b.x + b.width + clearance &&
  b.x < a.x + a.width + clearance &&
  a.y < b.y + b.height + clearance &&
  b.y < a.y + a.height + clearance;

const moved = (box: Box, shift: { dx: number; dy: number }): Box => ({
  ...box,
  x: box.x + shift.dx,
  y: box.y + shift.dy,
});

describe('clearShift: where a new step or a pasted selection goes', () => {
  it('leaves a box where it was wanted when nothing is there', () => {
    expect(clearShift([card(0, 400)], [card(0, 0), card(300, 0)])).toEqual({ dx: 0, dy: 0 });
    expect(clearShift([card(0, 0)], [])).toEqual({ dx: 0, dy: 0 });
  });

  it('moves a box that would cover a step to the nearest clear spot, keeping the clearance', () => {
    const occupied = [card(0, 0)];
    const shift = clearShift([card(20, 30)], occupied);
    expect(touches(moved(card(20, 30), shift), card(0, 0), 24)).toBe(false);
    // The nearest way out of a card 240 wide and 96 tall wanted near its top is down, not sideways.
    expect(shift.dx).toBe(0);
    expect(shift.dy).toBeGreaterThan(0);
  });

  it('finds a gap among many steps rather than a far corner', () => {
    // A 3×3 grid of cards with one spot in the middle row left free.
    const occupied = [0, 1, 2].flatMap((row) =>
      [0, 1, 2].filter((col) => !(row === 1 && col === 2)).map((col) => card(col * 300, row * 160)),
    );
    const wanted = card(600, 150);
    const shift = clearShift([wanted], occupied);
    const placed = moved(wanted, shift);
    for (const box of occupied) expect(touches(placed, box)).toBe(false);
    expect(Math.hypot(shift.dx, shift.dy)).toBeLessThan(200);
  });

  it('moves a group as one, so no member covers a step and their arrangement stays', () => {
    const group = [card(0, 0), card(0, 160)];
    const occupied = [card(40, 40), card(40, 200)];
    const shift = clearShift(group, occupied);
    for (const member of group) {
      for (const box of occupied) expect(touches(moved(member, shift), box)).toBe(false);
    }
  });

  it('puts a box below everything when no spot near it is clear', () => {
    // A wall of cards far wider and taller than the search radius.
    const occupied: Box[] = [];
    for (let x = -3000; x <= 3000; x += 240) for (let y = -3000; y <= 3000; y += 96) occupied.push(card(x, y));
    const shift = clearShift([card(0, 0)], occupied);
    const placed = moved(card(0, 0), shift);
    for (const box of occupied) expect(touches(placed, box)).toBe(false);
    expect(placed.y).toBeGreaterThan(3000);
  });
});
