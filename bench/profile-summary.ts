import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { round } from './stats.ts';

export interface Hotspot {
  /** Function, file and line, or a package name for code under node_modules. */
  where: string;
  selfPercent: number;
}

export interface ProfileSummary {
  dir: string;
  files: number;
  /** Share of the samples spent idle (waiting in the event loop). */
  idlePercent: number;
  /** Self time by function, highest first, in % of the busy (non-idle) time. */
  functions: Hotspot[];
  /** Self time by package or source folder (bullmq, ioredis, fastify, zod, engine/src/runtime…). */
  areas: Hotspot[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Self-time tops of every `.cpuprofile` in `dir` (V8's format: nodes, samples, timeDeltas), merged. */
export async function summarizeProfiles(dir: string, top = 15): Promise<ProfileSummary> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile'));
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  let all = 0;
  for (const file of files) {
    const profile: unknown = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
    const { nodes, samples, timeDeltas } = parseProfile(profile);
    const nodeById = new Map(nodes.map((node) => [node.id, node]));
    samples.forEach((id, i) => {
      const node = nodeById.get(id);
      const micros = timeDeltas[i] ?? 0;
      if (!node) return;
      const { functionName, url, lineNumber } = node.callFrame;
      all += micros;
      if (functionName === '(idle)') return;
      total += micros;
      const area = areaOf(url, functionName);
      const where = url
        ? `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`
        : functionName || '(anonymous)';
      byFunction.set(where, (byFunction.get(where) ?? 0) + micros);
      byArea.set(area, (byArea.get(area) ?? 0) + micros);
    });
  }
  const topOf = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([where, micros]) => ({ where, selfPercent: total > 0 ? round((100 * micros) / total) : 0 }));
  const idlePercent = all > 0 ? round((100 * (all - total)) / all) : 0;
  return { dir, files: files.length, idlePercent, functions: topOf(byFunction), areas: topOf(byArea) };
}

function parseProfile(value: unknown): { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } {
  if (typeof value === 'object' && value !== null && 'nodes' in value && 'samples' in value && 'timeDeltas' in value) {
    const { nodes, samples, timeDeltas } = value;
    if (Array.isArray(nodes) && Array.isArray(samples) && Array.isArray(timeDeltas)) {
      return { nodes: nodes.filter(isProfileNode), samples: samples.map(Number), timeDeltas: timeDeltas.map(Number) };
    }
  }
  throw new Error('Not a V8 CPU profile');
}

function isProfileNode(value: unknown): value is ProfileNode {
  return typeof value === 'object' && value !== null && 'id' in value && 'callFrame' in value;
}

function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return url;
  const source = /\/(engine|nodes|workers|bench)\/(src\/)?([^/]+)/.exec(url);
  return source ? `${source[1]}/${source[2] ?? ''}${source[3]}` : shortUrl(url);
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/work\/main\//, '');
}
