import {
  DEFAULT_EXIT,
  type StickyNote,
  type ValidationProblem,
  type WorkflowInput,
  WorkflowSettings,
} from '@convoflow/engine';
import type { NodeOf } from '@convoflow/nodes';
import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
  type XYPosition,
} from '@xyflow/react';
import { create } from 'zustand';
import { autoLayout, type Box, boxOf, clearShift, newNodeBox } from './layout.ts';
import { exitsOf, initialData } from './node-types.ts';

/**
 * The canvas store: one zustand store for the open workflow's nodes and edges, the undo
 * history, the problems shown on nodes, and the run path highlighted on the canvas.
 *
 * Highlighting a run (for the runs and simulator panels), from its step log:
 *   useCanvasStore.getState().highlightPath([{ nodeId: 'start', exit: 'next' }, { nodeId: 'ask' }])
 *   useCanvasStore.getState().clearHighlight()
 * Each step's node lights up, and the edge leaving it by the exit it took: the one taken, even
 * when two exits of a step lead to the same next step.
 * Highlighting never marks the workflow dirty and is not part of the undo history.
 */

/**
 * A canvas node is a workflow node: `type` is the node type, `data` its config, typed by the
 * type's schema; a node of a type this editor does not know (a newer file) keeps loose data.
 */
export type FlowNode = (FlowNodeOf<NodeOf> | Node<Record<string, unknown>, string>) & StepName;
/** The step's name (file format `label`); kept beside `data`, which is the type's config only. */
interface StepName {
  label?: string;
}
type FlowNodeOf<N> = N extends { type: infer T extends string; data: infer D extends Record<string, unknown> }
  ? Node<D, T>
  : never;
export type FlowEdge = Edge;

/**
 * A sticky note on the canvas (file format `notes`): a React Flow node of type `sticky`, kept
 * apart from the steps so nothing that walks the graph (validation, layout, runs) meets it.
 */
export type StickyFlowNode = Node<{ text: string; color?: StickyNote['color'] }, 'sticky'>;

interface Snapshot {
  nodes: FlowNode[];
  edges: FlowEdge[];
  stickies: StickyFlowNode[];
}
type Clipboard = Omit<Snapshot, 'stickies'>;

export interface Highlight {
  nodes: ReadonlySet<string>;
  edges: ReadonlySet<string>;
}

const HISTORY_LIMIT = 100;
const NODE_SPACING_Y = 160;

export interface CanvasState {
  workflowId: string | null;
  name: string;
  settings: WorkflowSettings;
  /** Kept as loaded (the editor does not edit it) so saving does not drop it. */
  description: string | undefined;
  nodes: FlowNode[];
  edges: FlowEdge[];
  stickies: StickyFlowNode[];
  /** Unsaved changes since the last load or save. */
  dirty: boolean;
  /** Counts loads, so the canvas can fit the view to each newly loaded graph. */
  loads: number;
  past: Snapshot[];
  future: Snapshot[];
  /** The node whose config panel is open. */
  openNodeId: string | null;
  /** Problems from the live (browser) and last server validation, merged. */
  problems: ValidationProblem[];
  /** One message per node with problems; node cards read only their own entry. */
  nodeProblems: Readonly<Record<string, string>>;
  highlight: Highlight;
  clipboard: Clipboard | null;
  /** Coalesces successive edits of one node's form into one undo step. */
  editingKey: string | null;

  load: (workflow: WorkflowInput & { id: string }, options?: { dirty?: boolean }) => void;
  rename: (name: string) => void;
  setSettings: (settings: WorkflowSettings) => void;
  onNodesChange: (changes: NodeChange<FlowNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<FlowEdge>[]) => void;
  connect: (connection: Connection) => void;
  reconnect: (old: FlowEdge, connection: Connection) => void;
  /** Records an undo step before a drag moves nodes. */
  beginDrag: () => void;
  addNode: (type: string, position: XYPosition) => string;
  /** Adds a node below `sourceId`, connected from its exit `handle` (null: the only exit). */
  addNodeOnExit: (sourceId: string, handle: string | null, type: string) => string;
  updateNodeData: (id: string, data: Record<string, unknown>) => void;
  /** Names a step (blank: no name, the card shows its type). */
  renameNode: (id: string, label: string) => void;
  /** Adds a sticky note at `position`; returns its id. */
  addSticky: (position: XYPosition) => string;
  updateSticky: (id: string, text: string) => void;
  setStickyColor: (id: string, color: NonNullable<StickyNote['color']>) => void;
  deleteSticky: (id: string) => void;
  deleteSelection: () => void;
  openNode: (id: string | null) => void;
  selectNode: (id: string) => void;
  undo: () => void;
  redo: () => void;
  copySelection: () => void;
  paste: () => void;
  layout: () => void;
  setProblems: (problems: ValidationProblem[]) => void;
  highlightPath: (steps: readonly PathStep[]) => void;
  clearHighlight: () => void;
  markSaved: () => void;
  /** The workflow as the API takes it (format v1). */
  toWorkflow: () => WorkflowInput & { id: string };
}

const emptyHighlight: Highlight = { nodes: new Set(), edges: new Set() };

/** What belongs to the editing of one loaded workflow: none of it carries over to the next. */
const freshSession = {
  past: [],
  future: [],
  openNodeId: null,
  problems: [],
  nodeProblems: {},
  highlight: emptyHighlight,
  editingKey: null,
} satisfies Partial<CanvasState>;

export const useCanvasStore = create<CanvasState>()((set, get) => {
  /** Saves the current graph as an undo step, then applies `next` and marks dirty. */
  const commit = (next: Partial<CanvasState>, editingKey: string | null = null) => {
    const state = get();
    const coalesce = editingKey !== null && editingKey === state.editingKey;
    set({
      ...next,
      past: coalesce ? state.past : [...state.past, snapshot(state)].slice(-HISTORY_LIMIT),
      future: coalesce ? state.future : [],
      dirty: true,
      editingKey,
    });
  };

  /** Moves, resizes, selects and removes sticky notes; a finished move or resize is an unsaved change. */
  const applyStickyChanges = (changes: NodeChange<StickyFlowNode>[]) => {
    const state = get();
    const stickies = applyNodeChanges(changes, state.stickies);
    if (changes.some((change) => change.type === 'remove')) {
      commit({ stickies });
      return;
    }
    const finished = changes.some(
      (change) =>
        (change.type === 'position' && change.dragging === false) ||
        (change.type === 'dimensions' && change.resizing === false),
    );
    set(finished ? { stickies, dirty: true } : { stickies });
  };

  return {
    workflowId: null,
    name: '',
    settings: { reenrollment: { mode: 'always' } },
    description: undefined,
    nodes: [],
    edges: [],
    stickies: [],
    dirty: false,
    loads: 0,
    ...freshSession,
    clipboard: null,

    load: (workflow, options) =>
      set((state) => ({
        loads: state.loads + 1,
        workflowId: workflow.id,
        name: workflow.name,
        settings: settingsOf(workflow.settings),
        description: workflow.description,
        nodes: workflow.nodes.map((node) => ({
          id: node.id,
          type: node.type,
          position: node.position,
          data: node.data ?? {},
          ...(node.label ? { label: node.label } : {}),
        })),
        stickies: stickiesOf(workflow.notes ?? [], workflow.nodes),
        edges: workflow.edges.map((edge) => ({
          id: edge.id,
          source: edge.source,
          target: edge.target,
          sourceHandle: edge.sourceHandle ?? null,
        })),
        dirty: options?.dirty ?? false,
        ...freshSession,
      })),

    rename: (name) => set({ name, dirty: true }),
    setSettings: (settings) => set({ settings, dirty: true }),

    onNodesChange: (all) => {
      const state = get();
      const stickyIds = new Set(state.stickies.map((sticky) => sticky.id));
      const isSticky = (change: NodeChange<FlowNode>) =>
        stickyIds.has(change.type === 'add' ? change.item.id : change.id);
      // The canvas shows steps and notes as one list of nodes; each change goes to its own list.
      const stickyChanges = all.filter(isSticky) as unknown as NodeChange<StickyFlowNode>[];
      if (stickyChanges.length > 0) applyStickyChanges(stickyChanges);
      const changes = all.filter((change) => !isSticky(change));
      if (changes.length === 0) return;
      const removes = changes.some((change) => change.type === 'remove');
      const nodes = applyNodeChanges(changes, state.nodes);
      if (removes) {
        const alive = new Set(nodes.map((node) => node.id));
        commit({
          nodes,
          edges: state.edges.filter((edge) => alive.has(edge.source) && alive.has(edge.target)),
          openNodeId: state.openNodeId && alive.has(state.openNodeId) ? state.openNodeId : null,
        });
        return;
      }
      const moved = changes.some((change) => change.type === 'position' && change.dragging === false);
      set(moved ? { nodes, dirty: true } : { nodes });
    },

    onEdgesChange: (changes) => {
      const edges = applyEdgeChanges(changes, get().edges);
      if (changes.some((change) => change.type === 'remove')) commit({ edges });
      else set({ edges });
    },

    connect: (connection) => {
      const state = get();
      if (connection.source === connection.target) return;
      const edge = edgeFor(connection.source, connection.sourceHandle ?? null, connection.target, state.edges);
      // An exit leads to one next step: connecting it again replaces the old edge.
      const others = state.edges.filter(
        (old) => !(old.source === edge.source && (old.sourceHandle ?? null) === (edge.sourceHandle ?? null)),
      );
      commit({ edges: [...others, edge] });
    },

    reconnect: (old, connection) => {
      const state = get();
      const replaced = edgeFor(connection.source, connection.sourceHandle ?? null, connection.target, state.edges);
      commit({
        edges: state.edges
          .filter((edge) => edge.id !== old.id)
          .filter(
            (edge) =>
              !(edge.source === replaced.source && (edge.sourceHandle ?? null) === (replaced.sourceHandle ?? null)),
          )
          .concat({ ...replaced, id: old.id }),
      });
    },

    beginDrag: () => {
      const state = get();
      set({ past: [...state.past, snapshot(state)].slice(-HISTORY_LIMIT), future: [], editingKey: null });
    },

    addNode: (type, wanted) => {
      const state = get();
      const id = uniqueId(type, state.nodes);
      const position = freeSpotFor(wanted, state.nodes);
      commit({
        nodes: [...deselect(state.nodes), { id, type, position, data: initialData(type), selected: true }],
        openNodeId: id,
      });
      return id;
    },

    addNodeOnExit: (sourceId, handle, type) => {
      const state = get();
      const source = state.nodes.find((node) => node.id === sourceId);
      const id = uniqueId(type, state.nodes);
      const exits = source ? exitsOf(source.type, source.data) : [];
      const index = handle === null ? 0 : Math.max(0, exits.indexOf(handle));
      const spread = (index - (exits.length - 1) / 2) * 240;
      const wanted = source
        ? { x: source.position.x + (exits.length > 1 ? spread : 0), y: source.position.y + NODE_SPACING_Y }
        : { x: 0, y: 0 };
      const data = initialData(type);
      const previous = state.edges.find((old) => old.source === sourceId && (old.sourceHandle ?? null) === handle);
      const edges = state.edges.filter((old) => old !== previous);
      edges.push(edgeFor(sourceId, handle, id, edges));
      // Adding on an exit that already leads somewhere inserts the step: it continues there,
      // and what follows moves down to make room.
      const newExits = exitsOf(type, data);
      const onward = newExits.find((exit) => exit !== '');
      let nodes = state.nodes;
      let below = new Set<string>();
      if (previous && onward !== undefined) {
        const single = newExits.length === 1 && onward === DEFAULT_EXIT;
        edges.push(edgeFor(id, single ? null : onward, previous.target, edges));
        below = downstreamOf(previous.target, state.edges);
        nodes = nodes.map((node) =>
          below.has(node.id) ? { ...node, position: { ...node.position, y: node.position.y + NODE_SPACING_Y } } : node,
        );
      }
      // The steps moved down make room for the new one; then they move on, as one, off any
      // step they landed on.
      const position = freeSpotFor(
        wanted,
        nodes.filter((node) => !below.has(node.id)),
      );
      if (below.size > 0) nodes = movedClear(nodes, below, newNodeBox(position));
      commit({
        nodes: [...deselect(nodes), { id, type, position, data, selected: true }],
        edges,
        openNodeId: id,
      });
      return id;
    },

    updateNodeData: (id, data) => {
      const state = get();
      const node = state.nodes.find((candidate) => candidate.id === id);
      const renamed = node ? renamedExit(exitsOf(node.type, node.data), exitsOf(node.type, data)) : null;
      // Renaming an exit (a branch id) keeps the edge that leaves by it.
      const edges = renamed
        ? state.edges.map((edge) =>
            edge.source === id && edge.sourceHandle === renamed.from ? { ...edge, sourceHandle: renamed.to } : edge,
          )
        : state.edges;
      commit({ nodes: state.nodes.map((old) => (old.id === id ? { ...old, data } : old)), edges }, `data:${id}`);
    },

    renameNode: (id, label) => {
      const state = get();
      commit(
        {
          nodes: state.nodes.map((node) => {
            if (node.id !== id) return node;
            const { label: _old, ...rest } = node;
            return label.trim() ? { ...rest, label } : rest;
          }),
        },
        `label:${id}`,
      );
    },

    addSticky: (wanted) => {
      const state = get();
      const id = uniqueId('sticky', [...state.stickies, ...state.nodes]);
      // On free ground, like a new step: a note under a card could not be read or reached.
      const { dx, dy } = clearShift(
        [{ ...wanted, ...STICKY_SIZE }],
        [...state.nodes, ...state.stickies].map((node) => boxOf(node)),
      );
      const position = plus(wanted, { x: dx, y: dy });
      commit({
        stickies: [
          ...state.stickies,
          { id, type: 'sticky', position, data: { text: '' }, width: STICKY_SIZE.width, height: STICKY_SIZE.height },
        ],
      });
      return id;
    },

    updateSticky: (id, text) => {
      const state = get();
      commit(
        {
          stickies: state.stickies.map((sticky) =>
            sticky.id === id ? { ...sticky, data: { ...sticky.data, text } } : sticky,
          ),
        },
        `sticky:${id}`,
      );
    },

    setStickyColor: (id, color) =>
      commit({
        stickies: get().stickies.map((sticky) =>
          sticky.id === id ? { ...sticky, data: { ...sticky.data, color } } : sticky,
        ),
      }),

    deleteSticky: (id) => commit({ stickies: get().stickies.filter((sticky) => sticky.id !== id) }),

    deleteSelection: () => {
      const state = get();
      const doomed = new Set(state.nodes.filter((node) => node.selected).map((node) => node.id));
      const edgeDoomed = new Set(state.edges.filter((edge) => edge.selected).map((edge) => edge.id));
      const stickiesKept = state.stickies.filter((sticky) => !sticky.selected);
      if (doomed.size === 0 && edgeDoomed.size === 0 && stickiesKept.length === state.stickies.length) return;
      commit({
        stickies: stickiesKept,
        nodes: state.nodes.filter((node) => !doomed.has(node.id)),
        edges: state.edges.filter(
          (edge) => !edgeDoomed.has(edge.id) && !doomed.has(edge.source) && !doomed.has(edge.target),
        ),
        openNodeId: state.openNodeId && doomed.has(state.openNodeId) ? null : state.openNodeId,
      });
    },

    openNode: (id) => set({ openNodeId: id }),

    selectNode: (id) =>
      set((state) => ({
        nodes: state.nodes.map((node) =>
          node.selected === (node.id === id) ? node : { ...node, selected: node.id === id },
        ),
        openNodeId: id,
      })),

    undo: () => {
      const state = get();
      const previous = state.past[state.past.length - 1];
      if (!previous) return;
      set({
        ...previous,
        past: state.past.slice(0, -1),
        future: [snapshot(state), ...state.future],
        dirty: true,
        editingKey: null,
      });
    },

    redo: () => {
      const state = get();
      const next = state.future[0];
      if (!next) return;
      set({
        ...next,
        past: [...state.past, snapshot(state)],
        future: state.future.slice(1),
        dirty: true,
        editingKey: null,
      });
    },

    copySelection: () => {
      const state = get();
      const nodes = state.nodes.filter((node) => node.selected);
      if (nodes.length === 0) return;
      const ids = new Set(nodes.map((node) => node.id));
      set({
        clipboard: {
          nodes: structuredClone(nodes.map(stripUi)),
          edges: state.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target)).map(stripEdgeUi),
        },
      });
    },

    paste: () => {
      const state = get();
      const clipboard = state.clipboard;
      if (!clipboard) return;
      const taken = [...state.nodes];
      const renamed = new Map<string, string>();
      // Offset from the copied steps, then moved as one to where it covers none.
      const offset = { x: 40, y: 40 };
      const { dx, dy } = clearShift(
        clipboard.nodes.map((node) => boxOf({ ...node, position: plus(node.position, offset) })),
        state.nodes.map((node) => boxOf(node)),
      );
      const pasted = clipboard.nodes.map((node) => {
        const id = uniqueId(node.type ?? 'node', taken);
        renamed.set(node.id, id);
        const copy: FlowNode = {
          ...structuredClone(node),
          id,
          position: plus(node.position, { x: offset.x + dx, y: offset.y + dy }),
          selected: true,
        };
        taken.push(copy);
        return copy;
      });
      const edges: FlowEdge[] = [...state.edges];
      for (const edge of clipboard.edges) {
        const source = renamed.get(edge.source);
        const target = renamed.get(edge.target);
        if (source && target) edges.push(edgeFor(source, edge.sourceHandle ?? null, target, edges));
      }
      // The clipboard moves along, so a second paste lands offset from the first.
      const moved = clipboard.edges.flatMap((edge) => {
        const source = renamed.get(edge.source);
        const target = renamed.get(edge.target);
        return source && target ? [{ ...edge, source, target }] : [];
      });
      commit({
        nodes: [...deselect(state.nodes), ...pasted],
        edges,
        clipboard: { nodes: pasted.map(stripUi), edges: moved },
      });
    },

    layout: () => {
      const state = get();
      commit({ nodes: autoLayout(state.nodes, state.edges) });
    },

    setProblems: (problems) => {
      const byNode: Record<string, string[]> = {};
      for (const problem of problems) {
        if (!problem.nodeId) continue;
        byNode[problem.nodeId] = [...(byNode[problem.nodeId] ?? []), problem.message];
      }
      const previous = get().nodeProblems;
      const nodeProblems: Record<string, string> = {};
      for (const [id, messages] of Object.entries(byNode)) nodeProblems[id] = [...new Set(messages)].join('\n');
      const same =
        Object.keys(previous).length === Object.keys(nodeProblems).length &&
        Object.entries(nodeProblems).every(([id, text]) => previous[id] === text);
      set(same ? { problems } : { problems, nodeProblems });
    },

    highlightPath: (steps) => {
      const edges = takenEdges(steps, get().edges);
      set({ highlight: { nodes: new Set(steps.map((step) => step.nodeId)), edges: new Set(edges) } });
    },

    clearHighlight: () => set({ highlight: emptyHighlight }),

    markSaved: () => set({ dirty: false }),

    toWorkflow: () => workflowOf(get()),
  };
});

/** The workflow as the API takes it (format v1), from the store's parts. */
export function workflowOf(
  state: Pick<CanvasState, 'workflowId' | 'name' | 'settings' | 'nodes' | 'edges'> &
    Partial<Pick<CanvasState, 'description' | 'stickies'>>,
): WorkflowInput & {
  id: string;
} {
  return {
    id: state.workflowId ?? '',
    name: state.name,
    ...(state.description ? { description: state.description } : {}),
    nodes: state.nodes.map((node) => ({
      id: node.id,
      type: node.type ?? '',
      position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
      data: node.data,
      ...(node.label?.trim() ? { label: node.label.trim() } : {}),
    })),
    edges: state.edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      ...(edge.sourceHandle ? { sourceHandle: edge.sourceHandle } : {}),
    })),
    settings: state.settings,
    ...(state.stickies && state.stickies.length > 0 ? { notes: state.stickies.map(noteOf) } : {}),
  };
}

const STICKY_SIZE = { width: 200, height: 120 };

/**
 * The notes as canvas nodes. Steps and notes share React Flow's id space, so a note whose id a
 * step (or an earlier note) already has, as a hand-written file may give, gets a fresh one.
 */
function stickiesOf(notes: readonly StickyNote[], steps: readonly { id: string }[]): StickyFlowNode[] {
  const taken: { id: string }[] = [...steps];
  return notes.map((note) => {
    const id = taken.some((other) => other.id === note.id) ? uniqueId('sticky', taken) : note.id;
    taken.push({ id });
    return stickyOf({ ...note, id });
  });
}

function stickyOf(note: StickyNote): StickyFlowNode {
  return {
    id: note.id,
    type: 'sticky',
    position: note.position,
    data: { text: note.text, ...(note.color ? { color: note.color } : {}) },
    width: note.width ?? STICKY_SIZE.width,
    height: note.height ?? STICKY_SIZE.height,
  };
}

function noteOf(sticky: StickyFlowNode): StickyNote {
  const width = sticky.width ?? sticky.measured?.width;
  const height = sticky.height ?? sticky.measured?.height;
  return {
    id: sticky.id,
    text: sticky.data.text,
    position: { x: Math.round(sticky.position.x), y: Math.round(sticky.position.y) },
    ...(width ? { width: Math.round(width) } : {}),
    ...(height ? { height: Math.round(height) } : {}),
    ...(sticky.data.color ? { color: sticky.data.color } : {}),
  };
}

function settingsOf(settings: unknown): WorkflowSettings {
  const parsed = WorkflowSettings.safeParse(settings ?? {});
  return parsed.success ? parsed.data : { reenrollment: { mode: 'always' } };
}

function snapshot(state: Snapshot): Snapshot {
  return { nodes: state.nodes, edges: state.edges, stickies: state.stickies };
}

/** Keeps what the canvas measured: a pasted copy is as big as its original. */
function stripUi(node: FlowNode): FlowNode {
  return {
    id: node.id,
    type: node.type,
    position: node.position,
    data: node.data,
    ...(node.label ? { label: node.label } : {}),
    ...(node.measured ? { measured: node.measured } : {}),
  };
}

/** `nodes` with the `group` moved as one to the nearest spot clear of the others and of `also`. */
function movedClear(nodes: FlowNode[], group: ReadonlySet<string>, also: Box): FlowNode[] {
  const { dx, dy } = clearShift(
    nodes.filter((node) => group.has(node.id)).map((node) => boxOf(node)),
    [...nodes.filter((node) => !group.has(node.id)).map((node) => boxOf(node)), also],
  );
  if (dx === 0 && dy === 0) return nodes;
  return nodes.map((node) =>
    group.has(node.id) ? { ...node, position: plus(node.position, { x: dx, y: dy }) } : node,
  );
}

/** `wanted`, or the nearest spot from it where a new step covers no other step. */
function freeSpotFor(wanted: XYPosition, nodes: readonly FlowNode[]): XYPosition {
  const { dx, dy } = clearShift(
    [newNodeBox(wanted)],
    nodes.map((node) => boxOf(node)),
  );
  return plus(wanted, { x: dx, y: dy });
}

function plus(a: XYPosition, b: XYPosition): XYPosition {
  return { x: a.x + b.x, y: a.y + b.y };
}

function stripEdgeUi(edge: FlowEdge): FlowEdge {
  return { id: edge.id, source: edge.source, target: edge.target, sourceHandle: edge.sourceHandle ?? null };
}

function deselect(nodes: FlowNode[]): FlowNode[] {
  return nodes.map((node) => (node.selected ? { ...node, selected: false } : node));
}

/** `ask`, `ask-2`, …: readable ids, since they show in run logs and problem messages. */
function uniqueId(type: string, nodes: readonly { id: string }[]): string {
  const base =
    type
      .replace(/^trigger\./, '')
      .split('.')
      .pop()
      ?.replace(/[^A-Za-z0-9_-]/g, '') || 'node';
  const taken = new Set(nodes.map((node) => node.id));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

function edgeFor(source: string, handle: string | null, target: string, edges: readonly FlowEdge[]): FlowEdge {
  const taken = new Set(edges.map((edge) => edge.id));
  let n = edges.length + 1;
  while (taken.has(`e${n}`)) n++;
  return { id: `e${n}`, source, target, sourceHandle: handle };
}

/** The one exit whose name changed in place, if that is all that changed. */
function renamedExit(before: readonly string[], after: readonly string[]): { from: string; to: string } | null {
  if (before.length !== after.length) return null;
  const changed = before.flatMap((from, index) => {
    const to = after[index];
    return to !== undefined && to !== from ? [{ from, to }] : [];
  });
  return changed.length === 1 && changed[0] ? changed[0] : null;
}

/** `start` and every node reachable from it. */
function downstreamOf(start: string, edges: readonly FlowEdge[]): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    for (const edge of edges) {
      if (edge.source !== current || seen.has(edge.target)) continue;
      seen.add(edge.target);
      queue.push(edge.target);
    }
  }
  return seen;
}

/** A step of a run as the highlight needs it: its node, and the exit it left by (none while it waits). */
export interface PathStep {
  nodeId: string;
  exit?: string | undefined;
}

/** The edges a run took: out of each step's node by the exit that step left by. */
function takenEdges(steps: readonly PathStep[], edges: readonly FlowEdge[]): string[] {
  return steps.flatMap((step) => {
    if (step.exit === undefined) return [];
    const edge = edges.find(
      (candidate) => candidate.source === step.nodeId && (candidate.sourceHandle ?? DEFAULT_EXIT) === step.exit,
    );
    return edge ? [edge.id] : [];
  });
}
