import {
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  type FitViewOptions,
  MiniMap,
  type NodeTypes,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react';
import { type DragEvent, type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { definitionOf, useNodeTypes } from './node-types.ts';
import { PALETTE_MIME } from './Palette.tsx';
import { StickyNoteCard } from './StickyNote.tsx';
import { type FlowEdge, type FlowNode, useCanvasStore } from './store.ts';
import { WorkflowNodeCard } from './WorkflowNodeCard.tsx';

export const groupColours: Record<string, string> = {
  Triggers: '#7c5cff',
  Questions: '#2f80ed',
  Actions: '#16a34a',
  Logic: '#d97706',
};

/** Large workflows render only what is on screen. */
const VIRTUALISE_FROM = 150;
const FIT_ALL_UP_TO = 40;

/** Fitting leaves room at the bottom for the notices, the zoom controls and the minimap. */
export const FIT_VIEW: FitViewOptions = { padding: { top: '32px', x: '48px', bottom: '96px' }, maxZoom: 1 };

/** The view that shows these nodes: the whole graph while it is small, else just them. */
export function fitViewOn(nodeIds: readonly string[]): FitViewOptions {
  const large = useCanvasStore.getState().nodes.length > FIT_ALL_UP_TO;
  return large && nodeIds.length > 0 ? { ...FIT_VIEW, nodes: nodeIds.map((id) => ({ id })) } : FIT_VIEW;
}

const MINIMAP_SIZE = { width: 160, height: 110 };

export interface FlowCanvasProps {
  readOnly?: boolean;
  /** A side panel narrows the canvas: the minimap then hides unless the operator shows it. */
  sidePanelOpen?: boolean;
}

export function FlowCanvas({ readOnly = false, sidePanelOpen = false }: FlowCanvasProps) {
  const { nodes, edges, highlight, stickies } = useCanvasStore(
    useShallow((state) => ({
      nodes: state.nodes,
      edges: state.edges,
      highlight: state.highlight,
      stickies: state.stickies,
    })),
  );
  // Notes first, so steps draw over them.
  const shownNodes = useMemo<FlowNode[]>(
    () => (stickies.length === 0 ? nodes : [...stickies, ...nodes]),
    [stickies, nodes],
  );
  const actions = useCanvasStore(
    useShallow((state) => ({
      onNodesChange: state.onNodesChange,
      onEdgesChange: state.onEdgesChange,
      connect: state.connect,
      reconnect: state.reconnect,
      beginDrag: state.beginDrag,
      addNode: state.addNode,
      openNode: state.openNode,
    })),
  );
  const types = useNodeTypes();
  // Every registered node type renders with the one generic card.
  const nodeTypes: NodeTypes = useMemo(
    () => ({
      ...Object.fromEntries(Object.keys(types).map((type) => [type, WorkflowNodeCard])),
      sticky: StickyNoteCard,
    }),
    [types],
  );
  const minimapColour = useCallback(
    (node: FlowNode) =>
      node.type === 'sticky' ? '#fde68a' : (groupColours[definitionOf(node.type, types)?.group ?? ''] ?? '#94a3b8'),
    [types],
  );
  const flow = useReactFlow<FlowNode, FlowEdge>();
  // A large workflow opens on its first steps at a readable zoom, not as a sea of dots.
  const large = nodes.length > FIT_ALL_UP_TO;
  const fitViewOptions = useMemo(
    () => ({
      ...FIT_VIEW,
      ...(large
        ? {
            nodes: useCanvasStore
              .getState()
              .nodes.slice(0, FIT_ALL_UP_TO)
              .map(({ id }) => ({ id })),
          }
        : {}),
    }),
    [large],
  );

  const shownEdges = useMemo(
    () =>
      edges.map((edge) => {
        const lit = highlight.edges.has(edge.id);
        const label = edge.sourceHandle ?? undefined;
        if (!lit && !label) return edge;
        return {
          ...edge,
          ...(label ? { label, labelBgPadding: [4, 2] as [number, number], labelBgBorderRadius: 4 } : {}),
          ...(lit ? { className: 'edge--lit', animated: true } : {}),
        };
      }),
    [edges, highlight],
  );

  // A graph loaded after the canvas mounted (a restored version) gets the view fitted too.
  const loads = useCanvasStore((state) => state.loads);
  const firstLoad = useRef(loads);
  useEffect(() => {
    if (loads === firstLoad.current) return;
    const frame = requestAnimationFrame(() => void flow.fitView(fitViewOptions));
    return () => cancelAnimationFrame(frame);
  }, [loads, flow, fitViewOptions]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME);
      if (!type) return;
      event.preventDefault();
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      actions.addNode(type, { x: position.x - 120, y: position.y - 30 });
    },
    [flow, actions],
  );

  // The operator's choice is kept per situation: with a side panel open, and without.
  const [minimapWanted, setMinimapWanted] = useState({ withPanel: false, withoutPanel: true });
  const minimapShown = sidePanelOpen ? minimapWanted.withPanel : minimapWanted.withoutPanel;
  const toggleMinimap = () =>
    setMinimapWanted((wanted) =>
      sidePanelOpen ? { ...wanted, withPanel: !wanted.withPanel } : { ...wanted, withoutPanel: !wanted.withoutPanel },
    );

  // A note is edited in place: it has no settings panel.
  const onNodeClick = useCallback(
    (_: unknown, node: FlowNode) => actions.openNode(node.type === 'sticky' ? null : node.id),
    [actions],
  );
  const onPaneClick = useCallback(() => actions.openNode(null), [actions]);
  // React Flow makes each node focusable (Tab); Enter on the focused one opens it, like a click.
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      if (event.key !== 'Enter' || !(event.target instanceof HTMLElement)) return;
      if (!event.target.classList.contains('react-flow__node')) return;
      if (event.target.classList.contains('react-flow__node-sticky')) return;
      const id = event.target.dataset.id;
      if (id) actions.openNode(id);
    },
    [actions],
  );

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Enter is taken from the focusable node elements React Flow renders inside
    <div className="canvas" data-testid="canvas" onKeyDown={onKeyDown}>
      <ReactFlow<FlowNode, FlowEdge>
        nodes={shownNodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        onNodesChange={actions.onNodesChange}
        onEdgesChange={actions.onEdgesChange}
        onConnect={actions.connect}
        onReconnect={actions.reconnect}
        onNodeDragStart={actions.beginDrag}
        onNodeClick={onNodeClick}
        onPaneClick={onPaneClick}
        onDragOver={onDragOver}
        onDrop={onDrop}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={!readOnly}
        deleteKeyCode={null}
        onlyRenderVisibleElements={nodes.length >= VIRTUALISE_FROM}
        fitView
        fitViewOptions={fitViewOptions}
        minZoom={0.1}
        defaultEdgeOptions={{ type: 'smoothstep' }}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1} color="#cbd5e1" />
        {minimapShown && (
          <MiniMap<FlowNode> pannable zoomable nodeColor={minimapColour} ariaLabel="Minimap" style={MINIMAP_SIZE} />
        )}
        <Controls aria-label="Zoom controls" fitViewOptions={FIT_VIEW}>
          <ControlButton
            onClick={toggleMinimap}
            aria-label={minimapShown ? 'Hide minimap' : 'Show minimap'}
            title={minimapShown ? 'Hide minimap' : 'Show minimap'}
            aria-pressed={minimapShown}
            data-testid="minimap-toggle"
          >
            <span aria-hidden="true">▣</span>
          </ControlButton>
        </Controls>
      </ReactFlow>
    </div>
  );
}
