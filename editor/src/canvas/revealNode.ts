import type { ReactFlowInstance } from '@xyflow/react';

/** Room kept between a revealed step and the canvas's edges (the zoom controls sit at the bottom). */
const MARGIN = { side: 24, bottom: 72 };

/**
 * Pans the canvas, at the same zoom, so the step `id` is in view: a step just added (which
 * may have landed off-screen, or under the side panel its settings open in) or one found
 * from the command palette (`center`: to the middle even when in view; `focus`: the step takes
 * the keyboard focus, so Enter opens it and Tab moves on from it). It waits two frames: one for the panel to narrow the canvas, one
 * for React Flow to measure the new step.
 */
export function revealNode(
  flow: Pick<ReactFlowInstance, 'getNode' | 'getZoom' | 'setCenter'>,
  id: string,
  options: { center?: boolean; focus?: boolean } = {},
): void {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const node = flow.getNode(id);
      const element = document.querySelector(`.react-flow__node[data-id="${CSS.escape(id)}"]`);
      const area = element?.closest('.react-flow')?.getBoundingClientRect();
      if (!node || !(element instanceof HTMLElement) || !area) return;
      if (options.focus) element.focus({ preventScroll: true });
      const box = element.getBoundingClientRect();
      const inView =
        box.left >= area.left + MARGIN.side &&
        box.right <= area.right - MARGIN.side &&
        box.top >= area.top + MARGIN.side &&
        box.bottom <= area.bottom - MARGIN.bottom;
      if (inView && !options.center) return;
      const zoom = flow.getZoom();
      const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      void flow.setCenter(node.position.x + box.width / zoom / 2, node.position.y + box.height / zoom / 2, {
        zoom,
        duration: reduced ? 0 : 250,
      });
    }),
  );
}
