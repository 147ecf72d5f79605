import type {
  AccountLink,
  AccountLinkInfo,
  Actor,
  InviteInput,
  SetPasswordInput,
  SignInInput,
  UserPatch,
  UserSummary,
} from '../contract/accounts.ts';
import { AppError } from '../errors.ts';
import type { SessionStore } from './session-store.ts';
import type { SignInGuard } from './sign-in-limits.ts';
import type { AccountLinks } from './user-links.ts';
import { dummyHash, hashPassword, passwordMatches } from './user-password.ts';
import { type StoredUser, summaryOf, type UserStore } from './user-store.ts';

/** A signed-in session: the cookie's value (never stored, never logged) and who it is. */
export interface SignedIn {
  sessionId: string;
  actor: Actor;
}

/** What a session cookie turned out to be. */
export type SessionCheck =
  | { kind: 'valid'; actor: Actor }
  | { kind: 'deactivated'; name: string }
  /** Unknown, expired or ended (signed out, password changed). */
  | { kind: 'ended' };

/** What the start-up did about the owner's account. */
export type OwnerStart = { kind: 'exists' } | { kind: 'created'; email: string } | { kind: 'link'; link: AccountLink };

export interface AccountsParts {
  users: UserStore;
  sessions: SessionStore;
  links: AccountLinks;
  guard: SignInGuard;
}

/** People's accounts: signing in and out, sessions, invitations, resets, roles and the owner's first start. */
export class UserAccounts {
  constructor(private readonly parts: AccountsParts) {}

  /** The longest a session lives (the cookie's Max-Age); idle sessions end sooner. */
  sessionLifetimeMs(): number {
    return this.parts.sessions.times.maxMs;
  }

  /**
   * SIGN_IN_FAILED in the same words (and after a hash of about the same time) whether the
   * e-mail is unknown or the password wrong; TOO_MANY_SIGN_INS past the limits, checked first.
   */
  async signIn({ email, password }: SignInInput, address: string): Promise<SignedIn> {
    const { users, guard } = this.parts;
    await guard.check(email, address);
    const user = await users.findByEmail(email);
    const matches = await passwordMatches(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || user.passwordHash === null || !matches) {
      await guard.failed(email, address);
      throw new AppError('SIGN_IN_FAILED');
    }
    await guard.succeeded(email);
    // Only the holder of the right password learns this: no account is revealed by it.
    if (user.deactivatedAt !== null) throw deactivated(user.name);
    return this.startSession({ ...user, lastSignInAt: Date.now() });
  }

  async signOut(sessionId: string): Promise<void> {
    await this.parts.sessions.end(sessionId);
  }

  /** Who a session cookie belongs to now: a role change shows at once, a deactivation refuses at once. */
  async checkSession(sessionId: string): Promise<SessionCheck> {
    const session = await this.parts.sessions.touch(sessionId);
    const user = session && (await this.parts.users.find(session.userId));
    if (!user) return { kind: 'ended' };
    if (user.deactivatedAt !== null) return { kind: 'deactivated', name: user.name };
    return { kind: 'valid', actor: actorOf(user) };
  }

  async list(): Promise<UserSummary[]> {
    return (await this.parts.users.list()).map(summaryOf);
  }

  /** A pending account and the link that lets the person set a password (EMAIL_TAKEN for a known e-mail). */
  async invite(input: InviteInput): Promise<{ user: UserSummary; link: AccountLink }> {
    const user = await this.parts.users.create({ ...input, passwordHash: null });
    return { user: summaryOf(user), link: await this.parts.links.create('invite', user.id) };
  }

  /**
   * A new role, a deactivation (ending every session) or a reactivation; LAST_OWNER when it
   * would leave no active owner. Answers the user before and after.
   */
  async change(id: string, patch: UserPatch): Promise<{ before: UserSummary; after: UserSummary }> {
    const { users, sessions } = this.parts;
    const user = await users.get(id);
    const changed: StoredUser = {
      ...user,
      role: patch.role ?? user.role,
      deactivatedAt:
        patch.active === undefined ? user.deactivatedAt : patch.active ? null : (user.deactivatedAt ?? Date.now()),
    };
    const stillOwner = changed.role === 'owner' && changed.deactivatedAt === null;
    if (isActiveOwner(user) && !stillOwner) {
      const others = (await users.list()).filter((other) => other.id !== id && isActiveOwner(other));
      if (others.length === 0) throw new AppError('LAST_OWNER', user.name);
    }
    await users.save(changed);
    if (changed.deactivatedAt !== null) await sessions.endAll(id);
    return { before: summaryOf(user), after: summaryOf(changed) };
  }

  /** A new link to set a password: an invitation again for a pending user, else a reset. */
  async resetLink(id: string): Promise<{ user: UserSummary; link: AccountLink }> {
    const user = await this.parts.users.get(id);
    const link = await this.parts.links.create(user.passwordHash === null ? 'invite' : 'reset', user.id);
    return { user: summaryOf(user), link };
  }

  /**
   * What a link is for; LINK_INVALID when it does not work, counted as a failed attempt of the
   * caller's address (TOO_MANY_SIGN_INS past the limit, like sign-ins).
   */
  async linkInfo(token: string, address: string): Promise<AccountLinkInfo> {
    const { links, users, guard } = this.parts;
    await guard.check(undefined, address);
    const link = await links.peek(token);
    const user = link?.userId ? await users.find(link.userId) : undefined;
    if (link?.kind === 'first-start') return { kind: link.kind };
    if (!link || !user) return this.invalidLink(address);
    return { kind: link.kind, name: user.name, email: user.email };
  }

  /**
   * Uses a one-time link: creates the owner (first start), activates an invited account, or
   * sets a new password and ends the user's other sessions (reset). Signs the person in.
   */
  async setPassword(
    input: SetPasswordInput,
    address: string,
  ): Promise<SignedIn & { created: boolean; user: UserSummary }> {
    const { users, links, sessions, guard } = this.parts;
    await guard.check(undefined, address);
    if ((await links.peek(input.token))?.kind === 'first-start' && (!input.name || !input.email)) {
      throw new AppError('BAD_REQUEST', 'body.name and body.email: the owner account needs a name and an e-mail.');
    }
    const link = await links.consume(input.token);
    if (!link) return this.invalidLink(address);
    const passwordHash = await hashPassword(input.password);
    if (link.kind === 'first-start') {
      // Another first-start link may have been used since this one was printed.
      if ((await users.count()) > 0) throw new AppError('LINK_INVALID');
      const owner = await users.create({
        email: input.email ?? '',
        name: input.name ?? '',
        role: 'owner',
        passwordHash,
      });
      const signedIn = await this.startSession(owner);
      return { ...signedIn, created: true, user: summaryOf(owner) };
    }
    const user = link.userId === null ? undefined : await users.find(link.userId);
    if (!user) throw new AppError('LINK_INVALID');
    if (user.deactivatedAt !== null) throw deactivated(user.name);
    await sessions.endAll(user.id);
    const updated = { ...user, passwordHash, lastSignInAt: Date.now() };
    const signedIn = await this.startSession(updated);
    return { ...signedIn, created: false, user: summaryOf(updated) };
  }

  /**
   * At start: nothing when a user exists; the owner from `owner` (OWNER_EMAIL / OWNER_PASSWORD)
   * when given; else a one-time first-start link to print.
   */
  async startOwner(owner?: { email: string; password: string; name?: string }): Promise<OwnerStart> {
    const { users, links } = this.parts;
    if ((await users.count()) > 0) return { kind: 'exists' };
    if (owner) {
      const passwordHash = await hashPassword(owner.password);
      await users.create({ email: owner.email, name: owner.name ?? 'Owner', role: 'owner', passwordHash });
      return { kind: 'created', email: owner.email };
    }
    return { kind: 'link', link: await links.create('first-start', null) };
  }

  private async invalidLink(address: string): Promise<never> {
    await this.parts.guard.failed(undefined, address);
    throw new AppError('LINK_INVALID');
  }

  private async startSession(user: StoredUser): Promise<SignedIn> {
    await this.parts.users.save(user);
    const { id } = await this.parts.sessions.create(user.id);
    return { sessionId: id, actor: actorOf(user) };
  }
}

const actorOf = (user: StoredUser): Actor => ({ kind: 'user', id: user.id, name: user.name, role: user.role });

const isActiveOwner = (user: StoredUser) => user.role === 'owner' && user.deactivatedAt === null;

const deactivated = (name: string) =>
  new AppError('UNAUTHORIZED', `The account of ${name} is deactivated: ask an owner to reactivate it.`);
