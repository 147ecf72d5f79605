// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${…}" in plain strings is the attack under test, sent as text.
import { signBody } from '../../stand-ins/chat-platform.ts';

/**
 * Generates bad requests against every route of the API from a seed: wrong types, huge
 * strings, deep nesting, prototype keys, template injections, unknown node types, cycles, bad
 * handles, broken JSON, wrong content types, signed and unsigned. Same seed, same requests.
 */

export interface HostileRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** What was generated, for the failure report. */
  label: string;
}

export interface Secrets {
  apiKey: string;
  webhookSecret: string;
}

/** mulberry32: a tiny PRNG whose whole state is the seed, so a failure replays from it. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

export const TEMPLATE_ATTACKS = [
  '$__proto__.polluted',
  '$__proto__',
  '$constructor.prototype',
  '$constructor.prototype.polluted',
  '$contact.__proto__.polluted',
  '$contact.constructor.name',
  '${process.exit()}',
  '${this.constructor.constructor("return process")().exit()}',
  '{{7*7}}',
  "{{constructor.constructor('return process')().exit()}}",
  '#{7*7}',
  '<%= 7*7 %>',
  '$rating.toString',
  '$$$$',
  '$',
  '$.',
  '$1e309',
];

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'polluted', 'toString', 'hasOwnProperty', 'valueOf'];

const STRINGS = [
  '',
  ' ',
  '\u0000',
  '\r\nX-Injected: 1',
  '../../../etc/passwd',
  '%2e%2e%2f',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '🙂'.repeat(50),
  '\ud800',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  'http://127.0.0.1:6379/',
  // Loopback, not a real metadata address: even if the guard broke, nothing would leave this machine.
  'http://127.0.0.2:9/latest/meta-data/',
  'http://localhost/',
  'javascript:alert(1)',
  'file:///etc/passwd',
  ...TEMPLATE_ATTACKS,
  ...PROTO_KEYS,
];

const NODE_TYPES = [
  'trigger.conversationClosed',
  'trigger.shortcut',
  'askQuestion',
  'sendMessage',
  'branch',
  'wait',
  'http.request',
  'googleSheets.addRow',
  'nope',
  '__proto__',
  'constructor',
  'toString',
  '',
];

export class HostileRequests {
  constructor(
    private readonly random: Random,
    private readonly secrets: Secrets,
    /** Ids that exist (a published workflow, a run), so some requests reach deep handlers. */
    private readonly known: { workflowIds: string[]; runIds: string[] },
  ) {}

  next(): HostileRequest {
    const r = this.random;
    const route = r.pick(this.routes);
    return route();
  }

  private readonly routes: (() => HostileRequest)[] = [
    () => this.apiCall('POST', '/api/workflows', this.workflowBody()),
    () => this.apiCall('GET', `/api/workflows${this.query()}`),
    () => this.apiCall('GET', `/api/workflows/${this.id()}`),
    () => this.apiCall('PUT', `/api/workflows/${this.id()}`, this.workflowBody()),
    () => this.apiCall('DELETE', `/api/workflows/${this.id()}`),
    () =>
      this.apiCall('POST', `/api/workflows/${this.id()}/publish`, this.random.chance(0.5) ? this.anyBody() : undefined),
    () => this.apiCall('POST', `/api/workflows/${this.id()}/validate`, this.workflowBody()),
    () => this.apiCall('GET', `/api/workflows/${this.id()}/versions/${this.pathValue()}`),
    () => this.apiCall('POST', `/api/workflows/${this.id()}/shortcut`, this.shortcutBody()),
    () => this.apiCall('POST', `/api/workflows/${this.id()}/simulate`, this.simulateBody()),
    () => this.apiCall('GET', `/api/workflows/${this.id()}/csat${this.query()}`),
    () => this.apiCall('GET', `/api/workflows/${this.id()}/csat/answers.csv${this.query()}`),
    () => this.apiCall('GET', `/api/runs${this.query()}`),
    () => this.apiCall('GET', `/api/runs/${this.runId()}`),
    () =>
      this.apiCall('POST', `/api/runs/${this.runId()}/cancel`, this.random.chance(0.3) ? this.anyBody() : undefined),
    () => this.apiCall('POST', `/api/runs/${this.runId()}/reply`, this.mutate({ text: '5' })),
    () => this.apiCall('POST', '/api/connections', this.connectionBody()),
    () => this.apiCall('GET', '/api/connections'),
    () => this.apiCall('GET', `/api/connections/${this.pathValue()}`),
    () => this.apiCall('DELETE', `/api/connections/${this.pathValue()}`),
    () => this.apiCall('GET', '/api/node-types'),
    () => this.apiCall('POST', `/api/nodes/${this.nodeTypePath()}/test`, this.stepTestBody()),
    () => this.signedCall('/api/events/conversation-closed', this.eventBody()),
    () => this.signedCall('/api/messages/inbound', this.inboundBody()),
    () =>
      this.openCall(this.random.pick(['/health', '/ready', '/metrics', '/docs/json', '/api', '/api/', '/api/nope'])),
    () => this.openCall(`/${this.pathValue()}/${this.pathValue()}`),
  ];

  private apiCall(method: HostileRequest['method'], url: string, body?: string): HostileRequest {
    const r = this.random;
    const auth = r.chance(0.8)
      ? `Bearer ${this.secrets.apiKey}`
      : r.pick([
          '',
          'Bearer',
          'Bearer wrong',
          `Basic ${this.secrets.apiKey}`,
          `Bearer ${'k'.repeat(10_000)}`,
          'bearer  ',
        ]);
    const headers: Record<string, string> = auth ? { authorization: auth } : {};
    return this.withBody(
      { method, url, headers, label: `${method} ${url.slice(0, 120)} auth=${auth.slice(0, 12)}` },
      body,
    );
  }

  private signedCall(url: string, body: string): HostileRequest {
    const r = this.random;
    const signing = r.pick(['right', 'right', 'right', 'none', 'wrong', 'malformed', 'other-body'] as const);
    const signature = {
      right: signBody(body, this.secrets.webhookSecret),
      none: undefined,
      wrong: signBody(body, 'not-the-secret'),
      malformed: r.pick(['sha256=zz', 'sha1=abc', 'sha256=', `sha256=${'0'.repeat(64)}`, 'x'.repeat(5_000)]),
      'other-body': signBody(`${body} `, this.secrets.webhookSecret),
    }[signing];
    const headers: Record<string, string> = signature === undefined ? {} : { 'x-signature-256': signature };
    return this.withBody({ method: 'POST', url, headers, label: `POST ${url} signature=${signing}` }, body);
  }

  private openCall(url: string): HostileRequest {
    return {
      method: this.random.pick(['GET', 'POST', 'DELETE'] as const),
      url,
      headers: {},
      label: `open ${url.slice(0, 120)}`,
    };
  }

  private withBody(request: HostileRequest, body: string | undefined): HostileRequest {
    if (body === undefined) return request;
    const r = this.random;
    const contentType = r.chance(0.85)
      ? 'application/json'
      : r.pick([
          'text/plain',
          'application/x-www-form-urlencoded',
          '',
          'application/json; charset=utf-16',
          'multipart/form-data; boundary=x',
        ]);
    return {
      ...request,
      headers: { ...request.headers, ...(contentType ? { 'content-type': contentType } : {}) },
      payload: body,
      label: `${request.label} content-type=${contentType} body=${body.slice(0, 160)}${body.length > 160 ? `… (${body.length} chars)` : ''}`,
    };
  }

  /** A path segment: a real id, or something hostile, usually URL-encoded. */
  private id(): string {
    const r = this.random;
    return r.chance(0.4) && this.known.workflowIds.length > 0 ? r.pick(this.known.workflowIds) : this.pathValue();
  }

  private runId(): string {
    const r = this.random;
    return r.chance(0.4) && this.known.runIds.length > 0 ? r.pick(this.known.runIds) : this.pathValue();
  }

  private nodeTypePath(): string {
    return encodeURIComponent(this.random.pick(NODE_TYPES));
  }

  private pathValue(): string {
    const r = this.random;
    const value = r.chance(0.1)
      ? 'x'.repeat(r.int(20_000))
      : r.chance(0.3)
        ? String(r.int(1e9) - 5e8)
        : r.pick(STRINGS);
    if (r.chance(0.05)) return r.pick(['%', '%zz', '%ED%A0%80', '%00', '%2F..%2F', '..', '.']);
    return r.chance(0.85) ? percentEncode(value) : value.replace(/[/?#\s%]/g, '_') || '_';
  }

  private query(): string {
    const r = this.random;
    if (r.chance(0.3)) return '';
    const keys = [
      'workflowId',
      'status',
      'conversationId',
      'limit',
      'from',
      'to',
      'benchmark',
      '__proto__',
      'constructor',
    ];
    const parts = Array.from({ length: 1 + r.int(4) }, () => {
      const key = r.pick(keys);
      const value = r.chance(0.5)
        ? r.pick(['-1', '0', '1e9', 'abc', '2026-13-45', 'NaN', '', '[]', '{}'])
        : r.pick(STRINGS);
      return `${encodeURIComponent(key)}=${percentEncode(value)}`;
    });
    return `?${parts.join('&')}`;
  }

  /** Sometimes not JSON at all, sometimes too big or too deep, usually JSON of the wrong shape. */
  private anyBody(): string {
    const r = this.random;
    const roll = r.next();
    if (roll < 0.05)
      return r.pick(['', '{', '}', '[', '{"a":', 'nul', '{"a":1,}', "{'a':1}", '\u0000', '{"a":"\\ud800"}']);
    if (roll < 0.08) return JSON.stringify({ text: 'x'.repeat(1_100_000 + r.int(500_000)) });
    if (roll < 0.12) return this.deep(500 + r.int(20_000));
    return JSON.stringify(this.value(3));
  }

  private deep(depth: number): string {
    const r = this.random;
    if (r.chance(0.5)) return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    const key = r.pick(['a', 'nodes', 'data', '__proto__', 'constructor']);
    return `${`{"${key}":`.repeat(depth)}{}${'}'.repeat(depth)}`;
  }

  private value(depth: number): unknown {
    const r = this.random;
    const roll = r.next();
    if (depth <= 0 || roll < 0.45) {
      return r.pick<unknown>([
        null,
        true,
        false,
        0,
        -1,
        1.5,
        2 ** 53 + 1,
        -1e308,
        r.pick(STRINGS),
        'x'.repeat(r.int(70_000)),
      ]);
    }
    if (roll < 0.7) return Array.from({ length: r.int(6) }, () => this.value(depth - 1));
    return Object.fromEntries(
      Array.from({ length: 1 + r.int(5) }, () => [
        r.chance(0.4) ? r.pick(PROTO_KEYS) : r.pick(['id', 'type', 'data', 'text', 'name', 'nodes', 'edges']),
        this.value(depth - 1),
      ]),
    );
  }

  /** Replaces, deletes or retypes a few fields of a valid body: errors deep inside an otherwise good request. */
  private mutate(valid: Record<string, unknown>): string {
    const r = this.random;
    const roll = r.next();
    if (roll < 0.15) return this.anyBody();
    const copy: unknown = JSON.parse(JSON.stringify(valid));
    for (let i = 0, n = r.int(4); i < n; i++) this.mutateOnce(copy);
    return JSON.stringify(copy);
  }

  private mutateOnce(target: unknown): void {
    const r = this.random;
    let node = target;
    for (let depth = 0; depth < 6; depth++) {
      const children = containers(node);
      if (children.length === 0 || r.chance(0.35)) break;
      node = r.pick(children);
    }
    if (!isRecord(node) && !Array.isArray(node)) return;
    const keys = Object.keys(node);
    const key = keys.length > 0 && r.chance(0.8) ? r.pick(keys) : r.pick(PROTO_KEYS);
    const action = r.int(3);
    // Object.defineProperty: a key named "__proto__" becomes an own field, as JSON.parse makes it.
    if (action === 0 && !Array.isArray(node)) delete node[key];
    else
      Object.defineProperty(node, key, { value: this.value(2), enumerable: true, configurable: true, writable: true });
  }

  private workflowBody(): string {
    const r = this.random;
    const size = r.chance(0.05) ? 300 + r.int(700) : 2 + r.int(6);
    const ids = Array.from({ length: size }, (_, i) => (r.chance(0.05) ? r.pick(PROTO_KEYS) : `n${i}`));
    const nodes = ids.map((id, i) => ({
      id,
      type: i === 0 && r.chance(0.7) ? r.pick(['trigger.conversationClosed', 'trigger.shortcut']) : r.pick(NODE_TYPES),
      position: { x: i * 10, y: 0 },
      data: this.nodeData(),
    }));
    const edges = Array.from({ length: r.int(size * 2) }, (_, i) => ({
      id: `e${i}`,
      source: r.chance(0.9) ? r.pick(ids) : r.pick(STRINGS),
      target: r.chance(0.9) ? r.pick(ids) : r.pick(STRINGS),
      ...(r.chance(0.5)
        ? {
            sourceHandle: r.pick([
              'answered',
              'invalid',
              'timeout',
              'success',
              'failure',
              'else',
              'nope',
              '__proto__',
              '',
            ]),
          }
        : {}),
    }));
    // A cycle without a wait on it.
    if (r.chance(0.3) && ids.length > 2) edges.push({ id: 'back', source: ids.at(-1)!, target: ids[1]! });
    const workflow = {
      ...(r.chance(0.7) ? { id: r.chance(0.5) ? `fuzz-${r.int(50)}` : r.pick(STRINGS) } : {}),
      name: r.chance(0.9) ? `Fuzz ${r.pick(TEMPLATE_ATTACKS)}` : r.pick<unknown>([null, 5, 'x'.repeat(10_000)]),
      nodes,
      edges,
      ...(r.chance(0.5)
        ? {
            settings: r.pick<unknown>([
              { reenrollment: { mode: 'after', after: { value: -1, unit: 'years' } } },
              { reenrollment: 'x' },
              null,
            ]),
          }
        : {}),
    };
    return this.mutate(workflow);
  }

  private nodeData(): Record<string, unknown> {
    const r = this.random;
    const text = () => `${r.pick(['Hi ', '', 'You said '])}${r.pick(TEMPLATE_ATTACKS)}`;
    return r.pick<Record<string, unknown>>([
      {},
      { text: text() },
      {
        question: text(),
        answerType: r.pick(['rating', 'text', 'nope']),
        saveAs: r.pick(['rating', '__proto__', 'constructor', '1x']),
      },
      {
        method: 'POST',
        url: r.pick(['http://127.0.0.1:1/', '$__proto__', 'ftp://x', '${process.exit()}']),
        body: `{"v": ${r.pick(TEMPLATE_ATTACKS)}}`,
      },
      { branches: [{ id: '__proto__', when: [{ variable: '$constructor', operator: 'eq', value: 1 }] }] },
      { duration: { value: r.pick([-1, 0, 1e12, '1']), unit: r.pick(['seconds', 'years']) } },
      { label: text() },
    ]);
  }

  private eventBody(): string {
    const r = this.random;
    return this.mutate({
      eventId: `fuzz-${r.int(1e9)}`,
      conversation: { id: `conv-${r.int(100)}`, channel: r.pick(STRINGS), closingNote: r.pick(TEMPLATE_ATTACKS) },
      contact: { id: `contact-${r.int(100)}`, name: r.pick(TEMPLATE_ATTACKS) },
      assignee: { id: 'agent', name: r.pick(TEMPLATE_ATTACKS) },
    });
  }

  private inboundBody(): string {
    const r = this.random;
    return this.mutate({
      ...(r.chance(0.5) ? { eventId: `fuzz-${r.int(1e9)}` } : {}),
      conversationId: `conv-${r.int(100)}`,
      contactId: `contact-${r.int(100)}`,
      text: r.pick(STRINGS),
    });
  }

  private shortcutBody(): string {
    const r = this.random;
    return this.mutate({
      conversationId: `conv-${r.int(100)}`,
      contact: { id: `contact-${r.int(100)}`, name: r.pick(TEMPLATE_ATTACKS) },
      triggeredBy: { id: 'agent', name: r.pick(TEMPLATE_ATTACKS) },
    });
  }

  private simulateBody(): string {
    const r = this.random;
    return this.mutate({
      trigger: r.pick(['conversation.closed', 'shortcut', 'nope']),
      contact: { id: 'c', name: r.pick(TEMPLATE_ATTACKS) },
      conversation: { id: r.pick(STRINGS) },
    });
  }

  private connectionBody(): string {
    const r = this.random;
    return this.mutate({
      id: r.pick(['google', 'g-1', ...STRINGS]),
      type: r.pick(['google', 'nope']),
      name: r.pick(TEMPLATE_ATTACKS),
      serviceAccountKey: r.pick<unknown>([
        { client_email: 'a@b.c', private_key: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n' },
        'not json',
        '{"client_email": 1}',
        {},
      ]),
      apiEndpoint: r.pick(['http://127.0.0.1:1', 'not a url', 'file:///etc/passwd']),
    });
  }

  private stepTestBody(): string {
    const r = this.random;
    return this.mutate({
      data: this.nodeData(),
      variables: r.pick<unknown>([
        {},
        { rating: 5 },
        { __proto__x: 1 },
        { contact: { name: r.pick(TEMPLATE_ATTACKS) } },
      ]),
    });
  }
}

/** encodeURIComponent, except that a lone surrogate (which it refuses) goes out as its raw, invalid UTF-8 bytes. */
function percentEncode(value: string): string {
  return value
    .split(/([\ud800-\udfff])/)
    .map((part) => (/^[\ud800-\udfff]$/.test(part) ? '%ED%A0%80' : encodeURIComponent(part)))
    .join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function containers(value: unknown): unknown[] {
  // Plain loop: a mutated array may carry an own "constructor", which breaks Array methods' species lookup.
  const children: unknown[] = Array.isArray(value) ? Array.from(value) : isRecord(value) ? Object.values(value) : [];
  const out: unknown[] = [];
  for (const child of children) if (typeof child === 'object' && child !== null) out.push(child);
  return out;
}
