import { describe, expect, it } from 'vitest';
import { popupPosition, type Rect } from './popupPosition.ts';

const area: Rect = { top: 100, left: 200, width: 800, height: 600 };
const menu = { width: 220, height: 300 };
const button = (left: number, top: number): Rect => ({ left, top, width: 20, height: 20 });

const inside = (box: Rect, outer: Rect) =>
  box.left >= outer.left &&
  box.top >= outer.top &&
  box.left + box.width <= outer.left + outer.width &&
  box.top + box.height <= outer.top + outer.height;

describe('popupPosition: the "+" menu stays inside the canvas', () => {
  it('opens below the button, centred on it, when there is room', () => {
    const placed = popupPosition(button(590, 150), menu, area);
    expect(placed).toEqual({ top: 178, left: 490, width: 220, height: 300 });
  });

  it('opens above a button near the bottom edge', () => {
    const placed = popupPosition(button(590, 650), menu, area);
    expect(placed.top + placed.height).toBe(642);
    expect(placed.height).toBe(300);
    expect(inside(placed, area)).toBe(true);
  });

  it('slides left from the right edge and right from the left edge', () => {
    expect(popupPosition(button(985, 150), menu, area).left).toBe(1000 - 8 - 220);
    expect(popupPosition(button(195, 150), menu, area).left).toBe(208);
  });

  it('is capped in height, on the roomier side, when the area is shorter than the menu', () => {
    const tall = { width: 220, height: 900 };
    const placed = popupPosition(button(590, 250), tall, area);
    expect(placed.height).toBeLessThan(900);
    expect(inside(placed, area)).toBe(true);
    expect(placed.top).toBeGreaterThan(250);
  });

  it('stays inside even for a button outside the area (scrolled half out of view)', () => {
    const placed = popupPosition(button(1100, 800), menu, area);
    expect(inside(placed, area)).toBe(true);
  });
});
