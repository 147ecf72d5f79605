import type {
  AccountLink,
  AccountLinkInfo,
  ActiveRunsChoice,
  AlertTestRequest,
  AlertTestResult,
  ApiKeyCreated,
  ApiKeyInput,
  ApiKeySummary,
  AuditPage,
  AuditQuery,
  BulkRetryRequest,
  BulkRetryResult,
  ConnectionCheckResult,
  ConnectionInput,
  ConnectionPatch,
  ConnectionSummary,
  CsatQuery,
  CsatReport,
  DraftSave,
  InviteInput,
  Me,
  RunDetail,
  RunPage,
  RunQuery,
  RunSummary,
  SetPasswordInput,
  ShortcutRequest,
  SignInInput,
  SimulationRequest,
  StepTestResult,
  UserPatch,
  UserSummary,
  ValidationReport,
  VersionSummary,
  Workflow,
  WorkflowInput,
  WorkflowListItem,
  WorkflowRecord,
  WorkflowTemplate,
} from '@convoflow/engine';
import { editorName } from '../app/editorName.ts';

/** An API answer that was not 2xx: `status` 0 means the server could not be reached. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly details?: unknown,
    /** A 429's `Retry-After`, in seconds: when the refused call may be tried again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const keyStorage = 'convoflow.apiKey';

export const apiKey = {
  get: (): string | null => sessionStorage.getItem(keyStorage),
  set: (key: string) => sessionStorage.setItem(keyStorage, key),
  clear: () => sessionStorage.removeItem(keyStorage),
};

let signedInAsPerson = false;

/**
 * Whether this tab is signed in as a person (e-mail and password): its calls carry the session
 * cookie and no key, and the server knows the person's name without being told.
 */
export const personSession = {
  active: (): boolean => signedInAsPerson,
  set: (active: boolean) => {
    signedInAsPerson = active;
  },
};

/**
 * Fires `unauthorized` on every 401 of a signed-in call, so the app can send the operator back
 * to sign-in. Signed in with e-mail and password there is no key: calls carry the session cookie.
 */
export const authEvents = new EventTarget();

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  return (await exchange(method, path, body, extraHeaders)).payload as T;
}

/**
 * A call made before signing in (signing in, a one-time link): its 401 is the page's to explain
 * (a wrong password), not a sign that the tab's own sign-in ended.
 */
async function publicRequest<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await exchange(method, path, body, {}, false)).payload as T;
}

/** The answer's body and headers; throws `ApiError` unless it is 2xx. */
async function exchange(
  method: string,
  path: string,
  body: unknown,
  extraHeaders: Record<string, string>,
  signedIn = true,
): Promise<{ payload: unknown; headers: Headers }> {
  const headers: Record<string, string> = { ...extraHeaders };
  // A key's calls say who makes them: the server names the install key's changes (audit log,
  // versions, saves, retries) after it. A person signed in is named by their account instead.
  // Percent-encoded: header values cannot carry every character.
  if (!personSession.active()) headers['x-editor-name'] = encodeURIComponent(editorName.get());
  const key = apiKey.get();
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    // Same-origin: the session cookie goes along, and the browser adds the Origin header the
    // server checks on changes.
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Is it running? Check the terminal where you started it.');
  }
  const text = await response.text();
  const payload: unknown = text ? safeJson(text) : undefined;
  if (response.status === 401 && signedIn) authEvents.dispatchEvent(new Event('unauthorized'));
  if (!response.ok) {
    const error = isRecord(payload) ? payload : {};
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
    throw new ApiError(
      response.status,
      typeof error.message === 'string' ? error.message : `${method} ${path} failed with ${response.status}`,
      typeof error.code === 'string' ? error.code : undefined,
      error.details,
      Number.isFinite(retryAfter) ? retryAfter : undefined,
    );
  }
  return { payload, headers: response.headers };
}

/** GETs a file with the API key or the session cookie (a plain link cannot carry the bearer header). */
async function download(path: string): Promise<Blob> {
  const key = apiKey.get();
  let response: Response;
  try {
    response = await fetch(path, {
      headers: key ? { authorization: `Bearer ${key}` } : {},
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Is it running? Check the terminal where you started it.');
  }
  if (response.status === 401) authEvents.dispatchEvent(new Event('unauthorized'));
  if (!response.ok) {
    const payload = safeJson(await response.text());
    const message = isRecord(payload) && typeof payload.message === 'string' ? payload.message : undefined;
    throw new ApiError(response.status, message ?? `GET ${path} failed with ${response.status}`);
  }
  return response.blob();
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

const enc = encodeURIComponent;

/** The public HTTP API of DESIGN.md, typed by the engine's contract schemas. */
export const api = {
  health: () => request<{ status: string }>('GET', '/ready'),
  /** Who the signed-in key or person is, with its role (404 on servers older than roles). */
  me: () => request<Me>('GET', '/api/me'),
  /** Signing in as a person: the answer sets an HttpOnly session cookie the later calls carry. */
  session: {
    /** 401: wrong e-mail or password (one message for both); 429 with `retryAfterSeconds`. */
    signIn: (input: SignInInput) => publicRequest<unknown>('POST', '/api/session', input),
    /** Ends the session on the server; the cookie is cleared. */
    signOut: () => publicRequest<unknown>('DELETE', '/api/session'),
  },
  account: {
    /** What a one-time link is for (and whose account), without using it up; 400 LINK_INVALID when it no longer works. */
    link: (token: string) => publicRequest<AccountLinkInfo>('GET', `/api/account/link/${enc(token)}`),
    /**
     * Sets a password with a one-time link's token (the owner's first start also sends name and
     * e-mail); the answer signs the person in.
     */
    setPassword: (input: SetPasswordInput) => publicRequest<unknown>('POST', '/api/account/password', input),
  },
  /** The install's people (owner only). */
  users: {
    list: () => request<UserSummary[]>('GET', '/api/users'),
    /** The answer carries the invitation link to hand over: no e-mail is sent. */
    invite: (input: InviteInput) => request<{ user: UserSummary; link: AccountLink }>('POST', '/api/users', input),
    /** A new role, or deactivating / reactivating; refused for the last active owner. */
    change: (id: string, patch: UserPatch) => request<UserSummary>('PATCH', `/api/users/${enc(id)}`, patch),
    /** A one-time link to set a new password, to hand over. */
    resetLink: (id: string) => request<AccountLink>('POST', `/api/users/${enc(id)}/reset-link`),
  },
  /** The install's named API keys (owner only). */
  keys: {
    list: () => request<ApiKeySummary[]>('GET', '/api/keys'),
    /** The answer holds the key itself, shown this once: only its hash is kept. */
    create: (input: ApiKeyInput) => request<ApiKeyCreated>('POST', '/api/keys', input),
    /** Calls made with the key are refused from now on; it stays listed as revoked. */
    revoke: (id: string) => request<unknown>('DELETE', `/api/keys/${enc(id)}`),
  },
  /** Who did what, newest first, a page at a time (owner only). */
  audit: {
    page: (q: Partial<AuditQuery>) => request<AuditPage>('GET', `/api/audit${query({ ...q })}`),
    /** The entries matching the filters as CSV, fetched with the API key. */
    csv: (q: Pick<AuditQuery, 'from' | 'to' | 'action'>) => download(`/api/audit.csv${query({ ...q })}`),
  },
  workflows: {
    list: () => request<WorkflowListItem[]>('GET', '/api/workflows'),
    get: (id: string) => request<WorkflowRecord>('GET', `/api/workflows/${enc(id)}`),
    create: (input: WorkflowInput) => request<WorkflowRecord>('POST', '/api/workflows', input),
    /** Creates a workflow from a file as read: the server validates it (400 with issue paths). */
    importDocument: (document: Record<string, unknown>) => request<WorkflowRecord>('POST', '/api/workflows', document),
    /** Replaces the draft; with `baseRevision`, only if nobody saved it since (409 DRAFT_CHANGED otherwise). */
    update: (id: string, input: WorkflowInput, baseRevision?: number) =>
      request<WorkflowRecord>(
        'PUT',
        `/api/workflows/${enc(id)}`,
        baseRevision === undefined ? input : ({ ...input, baseRevision } satisfies DraftSave),
      ),
    /** `activeRuns`: what happens to runs in progress; the server refuses (409 ACTIVE_RUNS) without it when there are any. */
    delete: (id: string, activeRuns?: ActiveRunsChoice) =>
      request<void>('DELETE', `/api/workflows/${enc(id)}${query({ activeRuns })}`),
    /** New conversations no longer start the workflow; its draft and versions stay. */
    unpublish: (id: string, activeRuns?: ActiveRunsChoice) =>
      request<WorkflowRecord>('POST', `/api/workflows/${enc(id)}/unpublish${query({ activeRuns })}`),
    validate: (id: string, draft?: WorkflowInput) =>
      request<ValidationReport>('POST', `/api/workflows/${enc(id)}/validate`, draft ?? {}),
    /** Freezes the saved draft as the next version, with an optional note. */
    publish: (id: string, note?: string) =>
      request<WorkflowRecord>('POST', `/api/workflows/${enc(id)}/publish`, note ? { note } : undefined),
    version: (id: string, version: number) => request<Workflow>('GET', `/api/workflows/${enc(id)}/versions/${version}`),
    /** The published versions, newest first, with note, publisher and changes against the previous one. */
    versions: (id: string) => request<VersionSummary[]>('GET', `/api/workflows/${enc(id)}/versions`),
    shortcut: (id: string, body: ShortcutRequest) =>
      request<{ runId: string }>('POST', `/api/workflows/${enc(id)}/shortcut`, body),
    csat: (id: string, q: CsatQuery) => request<CsatReport>('GET', `/api/workflows/${enc(id)}/csat${query({ ...q })}`),
    csvUrl: (id: string, q: CsatQuery) => `/api/workflows/${enc(id)}/csat/answers.csv${query({ ...q })}`,
    /** The answers as CSV, fetched with the API key. */
    csv: (id: string, q: CsatQuery) => download(`/api/workflows/${enc(id)}/csat/answers.csv${query({ ...q })}`),
  },
  runs: {
    list: (q: Partial<RunQuery>) => request<RunSummary[]>('GET', `/api/runs${query({ ...q })}`),
    /** A page of the runs with how many match in all (`exact` false: at least that many). */
    page: async (q: Partial<RunQuery>): Promise<RunPage> => {
      const { payload, headers } = await exchange('GET', `/api/runs${query({ ...q })}`, undefined, {});
      const runs = payload as RunSummary[];
      const total = Number(headers.get('x-total-count') ?? runs.length);
      return { runs, total, exact: headers.get('x-total-exact') !== 'false' };
    },
    get: (id: string) => request<RunDetail>('GET', `/api/runs/${enc(id)}`),
    cancel: (id: string) => request<RunDetail>('POST', `/api/runs/${enc(id)}/cancel`),
    /**
     * Runs an ended run again from `nodeId` (default: the step it failed at), logged as retried
     * by whoever calls; 409 RUN_NOT_RETRYABLE says why not.
     */
    retry: (id: string, nodeId: string | undefined) =>
      request<RunDetail>('POST', `/api/runs/${enc(id)}/retry`, nodeId === undefined ? {} : { nodeId }),
    /** Retries every ended run of the workflow that failed at the step (up to `limit` per call). */
    retryAll: (workflowId: string, body: BulkRetryRequest) =>
      request<BulkRetryResult>('POST', `/api/workflows/${enc(workflowId)}/runs/retry`, body),
  },
  alerts: {
    /** Sends a test alert to each destination of `alerts` (saved or not); what each answered. */
    test: (workflowId: string, alerts: AlertTestRequest['alerts']) =>
      request<AlertTestResult>('POST', `/api/workflows/${enc(workflowId)}/alerts/test`, { alerts }),
  },
  /** The shipped examples, offered by "New workflow" as templates. */
  templates: () => request<WorkflowTemplate[]>('GET', '/api/templates'),
  /** Starts a test run of the SAVED draft (`POST /api/workflows/:id/simulate`). */
  simulate: (workflowId: string, body: SimulationRequest) =>
    request<{ runId: string }>('POST', `/api/workflows/${enc(workflowId)}/simulate`, body),
  /** Answers a test run as its contact (`POST /api/runs/:id/reply`). */
  reply: (runId: string, text: string) => request<{ runId: string }>('POST', `/api/runs/${enc(runId)}/reply`, { text }),
  connections: {
    list: () => request<ConnectionSummary[]>('GET', '/api/connections'),
    create: (input: ConnectionInput) => request<ConnectionSummary>('POST', '/api/connections', input),
    /**
     * Changes a connection in place: a channel's settings merged, secrets added or replaced (its
     * URLs stay); a Google connection's name, key or endpoint. Clears a refusal.
     */
    update: (id: string, patch: ConnectionPatch) =>
      request<ConnectionSummary>('PATCH', `/api/connections/${enc(id)}`, patch),
    delete: (id: string) => request<void>('DELETE', `/api/connections/${enc(id)}`),
    /** Calls a channel connection's platform, or Google, with its stored credentials; the answer in words. */
    check: (id: string) => request<ConnectionCheckResult>('POST', `/api/connections/${enc(id)}/check`),
  },
  /** Runs one step of `nodeType` outside any run, from the server (the HTTP node's test button). */
  testStep: (nodeType: string, data: Record<string, unknown>, variables: Record<string, unknown>) =>
    request<StepTestResult>('POST', `/api/nodes/${enc(nodeType)}/test`, { data, variables }),
};
