import type { Logger } from 'pino';
import type { WorkflowTemplate } from '../contract/templates.ts';
import type { Metrics } from '../metrics.ts';
import type { EngineApi } from '../runtime/engine-api.ts';
import type { NodeRegistry } from '../sdk/define-node.ts';

export interface AppOptions {
  engine: EngineApi;
  definitions: NodeRegistry;
  /** Bearer key for operator and agent calls. */
  apiKey: string;
  /** HMAC key of platform webhooks (`X-Signature-256: sha256=<hex>`). */
  webhookSecret: string;
  /** Refuse platform calls signed without `X-Signature-Timestamp`. Default false, for one release. */
  requireSignatureTimestamp?: boolean;
  /** Bearer token for `/metrics`, so Prometheus needs no API key. */
  metricsToken?: string;
  /**
   * Host names (no port) requests may be addressed to; anything else gets 403. Set when
   * listening on loopback, against DNS rebinding. Absent: any Host.
   */
  allowedHosts?: readonly string[];
  /** The templates "New workflow" offers (the shipped examples); absent: none. */
  templates?: () => Promise<WorkflowTemplate[]>;
  /**
   * `PUBLIC_URL`: pages there may make signed-in calls (CSRF check), and https there makes the
   * session cookie `Secure` behind a TLS-terminating proxy.
   */
  publicUrl?: string;
  /**
   * `TRUST_PROXY`: the reverse proxies whose `X-Forwarded-For`, `-Proto` and `-Host` are believed
   * (the client's address for sign-in limits, https for the cookie). Absent: none, the socket decides.
   */
  trustProxy?: readonly string[];
  /** Built editor (`editor/dist`) served at `/`; absent in API-only tests. */
  editorDir?: string;
  metrics: Metrics;
  logger: Logger;
  /** Largest accepted request body, bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** Brings gauges (queue depth, waiting runs) up to date just before `/metrics` is scraped. */
  refreshMetrics?: () => Promise<void>;
}
