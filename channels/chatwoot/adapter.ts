import {
  ChannelAuthError,
  type ChannelBinding,
  type ChannelCallContext,
  defineAdapter,
  type HelpdeskRequest,
  type InboundCall,
  StepError,
} from '@convoflow/engine';
import { z } from 'zod';
import {
  type ChatwootConnection,
  callChatwoot,
  chatwootPlace,
  networkReason,
  requestChatwoot,
  theirWords,
} from './api.ts';
import { chatwoot } from './definition.ts';
import { readEvents } from './events.ts';
import { messageBody } from './question.ts';
import { signatureProblem } from './signature.ts';

export const chatwootAdapter = defineAdapter({
  definition: chatwoot,

  receive(call, connection) {
    authenticate(call, connection);
    return { kind: 'events', events: readEvents(call, connection) };
  },

  async send(connection, binding, message, context) {
    const created = await callChatwoot(connection, context, {
      method: 'POST',
      path: `${conversationPath(binding)}/messages`,
      body: messageBody(binding, message),
    });
    const id = CreatedMessage.safeParse(created);
    return id.success ? { messageId: id.data.id } : {};
  },

  async act(connection, binding, request, context) {
    await helpdeskSteps[request.action](connection, binding, request, context);
  },

  async check(connection, context) {
    const place = chatwootPlace(connection);
    const account = connection.settings.accountId;
    let response: Awaited<ReturnType<typeof requestChatwoot>>;
    try {
      response = await requestChatwoot(connection, context, { method: 'GET', path: '/inboxes' });
    } catch (error) {
      if (context.signal.aborted) throw error;
      return { ok: false, problem: `Could not reach ${place}: ${networkReason(error)}.` };
    }
    const { status, body } = response;
    if (status === 200) return { ok: true, detail: signedIn(account, body) };
    const words = theirWords(body);
    if (status === 401 || status === 403) {
      return {
        ok: false,
        problem: `Chatwoot refused the API access token (HTTP ${status}${words}): paste the access token of an agent or bot that belongs to account ${account}.`,
      };
    }
    if (status === 404) {
      return {
        ok: false,
        problem: `Account ${account} does not exist on ${place}, or the token's user is not in it (HTTP 404${words}).`,
      };
    }
    return {
      ok: false,
      problem: `${place} answered HTTP ${status}${words} to GET /api/v1/accounts/${account}/inboxes.`,
    };
  },
});

/**
 * Signed account webhooks (Chatwoot ≥ 4.11) carry `X-Chatwoot-Signature`: once the connection has
 * the webhook's secret, a webhook call must be signed and fresh, the URL's token alone is not
 * enough (it cannot expire). Older installs and macros sign nothing: their URL token is accepted.
 */
function authenticate(call: InboundCall, connection: ChatwootConnection): void {
  const secret = connection.secrets.webhookSecret;
  if (call.endpoint === 'webhook' && secret) {
    const problem = signatureProblem(call, secret);
    if (problem) throw new ChannelAuthError(401, capitalised(problem));
    return;
  }
  if (call.urlTokenValid) return;
  const token = call.query.token ? "The URL's token is not this connection's" : 'The URL carries no ?token=';
  if (call.endpoint !== 'webhook') {
    throw new ChannelAuthError(
      401,
      `${token}, and a Chatwoot macro cannot sign its calls: use the URL shown for this connection`,
    );
  }
  throw new ChannelAuthError(
    401,
    `${token}, and connection "${connection.name}" has no webhook secret to check a signature with`,
  );
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

const CreatedMessage = z.object({ id: z.union([z.number(), z.string()]).transform(String) }).loose();
const Labels = z.object({ payload: z.array(z.string()) }).loose();
const Inboxes = z.object({ payload: z.array(z.object({ name: z.string() }).loose()) }).loose();

function conversationPath(binding: ChannelBinding): string {
  return `/conversations/${encodeURIComponent(binding.conversation)}`;
}

type HelpdeskStep = (
  connection: ChatwootConnection,
  binding: ChannelBinding,
  request: HelpdeskRequest,
  context: ChannelCallContext,
) => Promise<void>;

const helpdeskSteps: Record<HelpdeskRequest['action'], HelpdeskStep> = {
  async note(connection, binding, request, context) {
    const content = request.text?.trim();
    if (!content) throw new StepError('A note needs text: write it in the step.');
    await callChatwoot(connection, context, {
      method: 'POST',
      path: `${conversationPath(binding)}/messages`,
      body: { content, private: true },
    });
  },

  /** Chatwoot's labels endpoint replaces the conversation's list: add to what is there. */
  async labels(connection, binding, request, context) {
    const wanted = (request.labels ?? []).map((label) => label.trim()).filter(Boolean);
    if (wanted.length === 0) throw new StepError('Name at least one label to add.');
    const path = `${conversationPath(binding)}/labels`;
    const current = Labels.safeParse(await callChatwoot(connection, context, { method: 'GET', path }));
    const existing = current.success ? current.data.payload : [];
    if (wanted.every((label) => existing.includes(label))) return;
    await callChatwoot(connection, context, {
      method: 'POST',
      path,
      body: { labels: [...new Set([...existing, ...wanted])] },
    });
  },

  /**
   * One assignee per call (Chatwoot reads `assignee_id` or else `team_id`). The team goes first:
   * assigning a team may move the conversation to one of its agents, which the agent then overrides.
   */
  async assign(connection, binding, request, context) {
    const { agentId, teamId } = request.assignee ?? {};
    if (!agentId && !teamId) throw new StepError('Choose an agent or a team to assign the conversation to.');
    const path = `${conversationPath(binding)}/assignments`;
    if (teamId) await callChatwoot(connection, context, { method: 'POST', path, body: { team_id: idValue(teamId) } });
    if (agentId) {
      await callChatwoot(connection, context, { method: 'POST', path, body: { assignee_id: idValue(agentId) } });
    }
  },

  async resolve(connection, binding, _request, context) {
    await callChatwoot(connection, context, {
      method: 'POST',
      path: `${conversationPath(binding)}/toggle_status`,
      body: { status: 'resolved' },
    });
  },
};

/** Chatwoot's ids are integers; one typed as digits goes as a number, as its own UI sends it. */
function idValue(id: string): number | string {
  return /^\d+$/.test(id) ? Number(id) : id;
}

function signedIn(account: number, body: unknown): string {
  const inboxes = Inboxes.safeParse(body);
  if (!inboxes.success) return `Signed in to account ${account}.`;
  const names = inboxes.data.payload.map((inbox) => inbox.name);
  const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')}…` : names.join(', ');
  const count = `${names.length} inbox${names.length === 1 ? '' : 'es'}`;
  return `Signed in to account ${account}; ${count}${names.length ? `: ${shown}` : ''}.`;
}
