export interface Rect {
  top: number;
  left: number;
  width: number;
  height: number;
}

/** Kept between a popup and its anchor, and between a popup and the edge of its area. */
const GAP = 8;

/**
 * Where a popup opened from `anchor` goes (screen coordinates) so it stays inside `area`:
 * below the anchor, centred on it; above it when there is more room there; slid sideways
 * away from the area's edges; and capped in height (it scrolls) when the area is shorter.
 */
export function popupPosition(anchor: Rect, popup: { width: number; height: number }, area: Rect): Rect {
  const areaBottom = area.top + area.height;
  const below = areaBottom - GAP - (anchor.top + anchor.height + GAP);
  const above = anchor.top - GAP - (area.top + GAP);
  const downwards = popup.height <= below || below >= above;
  const height = Math.min(popup.height, Math.max(downwards ? below : above, 0), area.height - 2 * GAP);
  const top = downwards ? anchor.top + anchor.height + GAP : anchor.top - GAP - height;
  const centred = anchor.left + anchor.width / 2 - popup.width / 2;
  const left = clamp(centred, area.left + GAP, area.left + area.width - GAP - popup.width);
  return { top: clamp(top, area.top + GAP, areaBottom - GAP - height), left, width: popup.width, height };
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(value, high));
}
