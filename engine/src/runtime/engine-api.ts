import type { KeyCheck } from '../accounts/api-key-auth.ts';
import type { RevokedKey } from '../accounts/api-key-store.ts';
import type { UserAccounts } from '../accounts/user-accounts.ts';
import type {
  ApiKeyCreated,
  ApiKeyInput,
  ApiKeySummary,
  AuditCsvQuery,
  AuditEntry,
  AuditPage,
  AuditQuery,
} from '../contract/accounts.ts';
import type { AlertTestResult } from '../contract/alerts.ts';
import type { CsatQuery, CsatReport } from '../contract/analytics.ts';
import type {
  ConnectionCheckResult,
  ConnectionInput,
  ConnectionPatch,
  ConnectionSummary,
} from '../contract/connections.ts';
import type { ConversationClosedEvent, InboundMessage, ShortcutRequest } from '../contract/events.ts';
import type {
  BulkRetryRequest,
  BulkRetryResult,
  RunDetail,
  RunPage,
  RunQuery,
  RunSummary,
  SimulationRequest,
  StepTestResult,
} from '../contract/runs.ts';
import type {
  ActiveRunsChoice,
  DraftSave,
  PublishOptions,
  ValidationReport,
  VersionSummary,
  WorkflowListItem,
  WorkflowRecord,
} from '../contract/workflows.ts';
import type { AuditRecord } from '../stores/audit-store.ts';
import type { FailureAlerts } from '../workflow/failure-alerts.ts';
import type { Workflow, WorkflowInput } from '../workflow/schema.ts';
import type { ChannelAnswer, ChannelCall } from './channel-receiver.ts';

/**
 * What the HTTP API (and the single-process mode) asks of the engine. Methods throw
 * `AppError` (see `errors.ts`) for anything the caller can fix.
 */
export interface EngineApi {
  workflows: {
    /** Saves a draft; drafts may be invalid, only publishing requires a valid graph. */
    create(input: WorkflowInput): Promise<WorkflowRecord>;
    list(): Promise<WorkflowListItem[]>;
    get(id: string): Promise<WorkflowRecord>;
    /** With `baseRevision`, refused (DRAFT_CHANGED) when the draft was saved since that revision. */
    update(id: string, input: DraftSave): Promise<WorkflowRecord>;
    /**
     * Deletes the draft; its versions stay while runs use them. `activeRuns` says what happens
     * to runs in progress; required (ACTIVE_RUNS otherwise) when there are any.
     */
    delete(id: string, activeRuns?: ActiveRunsChoice): Promise<void>;
    /** New events no longer enrol; the draft and versions stay, and it can be published again. */
    unpublish(id: string, activeRuns?: ActiveRunsChoice): Promise<WorkflowRecord>;
    /** Validates the stored draft, or `draft` when given (the editor's unsaved state). */
    validate(id: string, draft?: WorkflowInput): Promise<ValidationReport>;
    /** Freezes the draft as the next version, with its note; throws WORKFLOW_INVALID with the problems. */
    publish(id: string, options?: PublishOptions): Promise<WorkflowRecord>;
    getVersion(id: string, version: number): Promise<Workflow>;
    /** The published versions, newest first, with notes and what changed against the previous one. */
    versions(id: string): Promise<VersionSummary[]>;
  };
  triggers: {
    /** Enrolls the conversation in every published workflow whose trigger matches. */
    conversationClosed(event: ConversationClosedEvent): Promise<string[]>;
    shortcut(workflowId: string, request: ShortcutRequest): Promise<string>;
    /** A test run of the saved draft (see `SimulationRequest`); returns the run id. */
    simulate(workflowId: string, request: SimulationRequest): Promise<string>;
  };
  /**
   * Routes a contact's reply to the run waiting on that conversation; null when none. `signedDigest` (the digest of the signed bytes) deduplicates a
   * reply that has no `eventId`: the same signed call replayed within the window files nothing.
   */
  inbound(message: InboundMessage, signedDigest?: string): Promise<string | null>;
  channels: {
    /** A chat platform's call to one of a channel connection's URLs; throws UNAUTHORIZED when it is not the platform's. */
    receive(call: ChannelCall): Promise<ChannelAnswer>;
  };
  runs: {
    list(query: RunQuery): Promise<RunSummary[]>;
    /** A page of the runs matching `query` with how many match in all. */
    page(query: RunQuery): Promise<RunPage>;
    get(id: string): Promise<RunDetail>;
    cancel(id: string): Promise<RunDetail>;
    /** The simulator's reply as the contact; only for test runs. */
    reply(id: string, text: string): Promise<void>;
    /**
     * Runs an ended run again from a step it failed at or left by a failure exit (default: the
     * step it failed at, else the last such), as `by` (display only); RUN_NOT_RETRYABLE says why not.
     */
    retry(id: string, nodeId: string | undefined, by: string | undefined): Promise<RunDetail>;
    /** `retry` for every ended published run of the workflow that failed at the step, up to a limit. */
    retryAll(workflowId: string, request: BulkRetryRequest, by: string | undefined): Promise<BulkRetryResult>;
  };
  /** Runs one step of `nodeType` outside any run (the HTTP node's "send test request"). */
  testStep(
    nodeType: string,
    data: Record<string, unknown>,
    variables: Record<string, unknown>,
  ): Promise<StepTestResult>;
  connections: {
    create(input: ConnectionInput): Promise<ConnectionSummary>;
    list(): Promise<ConnectionSummary[]>;
    get(id: string): Promise<ConnectionSummary>;
    delete(id: string): Promise<void>;
    /** Changes a channel connection's name, settings or secrets (its URLs stay), or a Google connection's name, key or endpoint. */
    update(id: string, patch: ConnectionPatch): Promise<ConnectionSummary>;
    /** Calls the provider of a Google or channel connection (a cheap authenticated request) and says what it answered. */
    check(id: string): Promise<ConnectionCheckResult>;
  };
  alerts: {
    /** Sends a test alert to each destination of `alerts` (the settings being edited); what each answered. */
    test(workflowId: string, alerts: FailureAlerts): Promise<AlertTestResult>;
  };
  analytics: {
    csat(workflowId: string, query: CsatQuery): Promise<CsatReport>;
    /** One line per answer: date, conversation, contact, agent, channel, value. */
    answersCsv(workflowId: string, query: CsatQuery): Promise<string>;
  };
  audit: {
    /**
     * Appends an entry to the audit log. With `coalesce`, records nothing (null) when the same
     * `coalesce.key` was recorded within `coalesce.ms` (autosave-like saves appear once).
     */
    record(entry: AuditRecord, coalesce?: { key: string; ms: number }): Promise<AuditEntry | null>;
    /** Newest first, a page at a time. */
    page(query: AuditQuery): Promise<AuditPage>;
    /** Every entry matching the filters, as CSV with a header row. */
    csv(query: AuditCsvQuery): Promise<string>;
  };
  /** Named API keys: created with a role, shown once, stored hashed, revoked (the record stays). */
  apiKeys: {
    /** Newest first, revoked ones included; never a key or its hash. */
    list(): Promise<ApiKeySummary[]>;
    /** The only answer that holds the key itself; `createdBy` is the creator's name. */
    create(input: ApiKeyInput, createdBy: string): Promise<ApiKeyCreated>;
    /** NOT_FOUND for an unknown id; revoking a revoked key changes nothing (`revokedNow` false). */
    revoke(id: string): Promise<RevokedKey>;
    /** What a presented bearer token is as a named key (the auth hook's question); notes its use. */
    check(token: string): Promise<KeyCheck>;
  };
  /**
   * People's accounts: sign-in and sessions (the session id only in `signIn`'s and
   * `setPassword`'s answers, for the cookie), invitations, roles, resets by link, the owner's first start.
   */
  users: Pick<
    UserAccounts,
    | 'signIn'
    | 'signOut'
    | 'checkSession'
    | 'list'
    | 'invite'
    | 'change'
    | 'resetLink'
    | 'linkInfo'
    | 'setPassword'
    | 'startOwner'
    | 'sessionLifetimeMs'
  >;
  /** Redis answers. */
  ready(): Promise<boolean>;
}
