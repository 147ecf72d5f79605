import type { Workflow } from '@convoflow/engine';

/** A step's box on the canvas, in flow units (a card is about this size). */
const CARD = { width: 240, height: 90 };
const MARGIN = 40;

export interface TemplatePictureProps {
  workflow: Pick<Workflow, 'nodes' | 'edges'>;
  /** The fill of a step's box, by its type (the group colours of the canvas). */
  colourOf?: (type: string) => string;
  /** Accessible description of the picture. */
  title: string;
}

/**
 * A small picture of a workflow's graph drawn from the steps' positions and the edges: a box
 * per step and a line per connection, scaled to fit. Pure: the same workflow draws the same SVG.
 */
export function TemplatePicture({ workflow, colourOf = () => '#94a3b8', title }: TemplatePictureProps) {
  const { nodes, edges } = workflow;
  const xs = nodes.map((node) => node.position.x);
  const ys = nodes.map((node) => node.position.y);
  const left = Math.min(0, ...xs) - MARGIN;
  const top = Math.min(0, ...ys) - MARGIN;
  const width = Math.max(CARD.width, ...xs.map((x) => x + CARD.width)) + MARGIN - left;
  const height = Math.max(CARD.height, ...ys.map((y) => y + CARD.height)) + MARGIN - top;
  const byId = new Map(nodes.map((node) => [node.id, node]));
  return (
    <svg
      className="template-picture"
      viewBox={`${left} ${top} ${width} ${height}`}
      preserveAspectRatio="xMidYMid meet"
      role="img"
      aria-label={title}
      data-testid="template-picture"
    >
      {edges.map((edge) => {
        const source = byId.get(edge.source);
        const target = byId.get(edge.target);
        if (!source || !target) return null;
        const x1 = source.position.x + CARD.width / 2;
        const y1 = source.position.y + CARD.height;
        const x2 = target.position.x + CARD.width / 2;
        const y2 = target.position.y;
        const middle = (y1 + y2) / 2;
        return (
          <path
            key={edge.id}
            d={`M ${x1} ${y1} C ${x1} ${middle}, ${x2} ${middle}, ${x2} ${y2}`}
            fill="none"
            stroke="#94a3b8"
            strokeWidth={8}
            data-edge={edge.id}
          />
        );
      })}
      {nodes.map((node) => (
        <rect
          key={node.id}
          x={node.position.x}
          y={node.position.y}
          width={CARD.width}
          height={CARD.height}
          rx={16}
          fill={colourOf(node.type)}
          data-node={node.id}
        />
      ))}
    </svg>
  );
}
