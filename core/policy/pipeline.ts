import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../support/clock.js';
import type { Logger } from '../support/logger.js';
import { whenAllContinue, type AccountLookup, type AuthenticationResult, type Credentials, type Decision, type HookContexts, type HookName, type PluginDecisions, type TraceStep, type Verdict } from './types.js';

/** A plugin switched on, with its validated settings, in chain order. */
export interface ActivePlugin {
  plugin: PluginDecisions<any>;
  settings: unknown;
}

const DEFAULT_TIMEOUT_MS = 3000;

/**
 * Runs the ordered chain of policy plugins for a hook. The first deny wins, a challenge stops
 * the chain, a plugin that throws or times out counts as deny (fail closed). Every decision is
 * written to the audit log with each plugin's verdict.
 */
export class PolicyPipeline {
  private active: ActivePlugin[] = [];

  /** `defaults`: each hook's answer when every plugin continues; only tests pass other ones. */
  constructor(
    private readonly audit: AuditLog, private readonly clock: Clock, private readonly logger: Logger,
    private readonly defaults: Readonly<Record<HookName, 'allow' | 'deny'>> = whenAllContinue,
  ) {}

  /** Replaces the chain (at start and whenever an admin changes plugin settings). */
  setActive(active: ActivePlugin[]): void {
    this.active = [...active];
  }

  /** The current chain, in order. */
  getActive(): readonly ActivePlugin[] {
    return this.active;
  }

  /** Decides and audits. `target` names what the decision is about in the audit entry. */
  async decide<H extends HookName>(
    hook: H, context: HookContexts[H], target?: { type: string; id: string | null },
  ): Promise<Decision> {
    const decision = await this.evaluate(hook, context, false);
    await this.audit.record({
      action: `policy.${hook}`,
      outcome: decision.outcome,
      actorId: context.actor?.id ?? null,
      actorEmail: context.actor?.email ?? ('email' in context ? String(context.email) : null),
      ip: context.ip,
      targetType: target?.type ?? null,
      targetId: target?.id ?? null,
      details: { code: decision.code, reason: decision.reason, trace: decision.trace, channel: context.channel, sessionId: context.sessionId, ...('unattended' in context && context.unattended ? { unattended: context.unattended } : {}) },
    });
    return decision;
  }

  /**
   * Asks the switched-on authenticating plugins, in chain order, to check credentials that no
   * local password covers. The first that knows the login answers; a failure or a time-out is
   * a rejection (fail closed).
   */
  async authenticate(credentials: Credentials): Promise<{ result: AuthenticationResult; plugin: string | null }> {
    for (const { plugin, settings } of this.active) {
      if (!plugin.authenticate) continue;
      const result = await this.runAuthenticator(plugin, credentials, settings);
      if (result.outcome !== 'unknown') return { result, plugin: plugin.id };
    }
    return { result: { outcome: 'unknown' }, plugin: null };
  }

  private async runAuthenticator(plugin: PluginDecisions<any>, credentials: Credentials, settings: unknown): Promise<AuthenticationResult> {
    const timeoutMs = plugin.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const tools = { now: () => this.clock.now(), log: (message: string, fields?: Record<string, unknown>) => this.logger.info({ plugin: plugin.id, ...fields }, message), dryRun: false };
    try {
      const timeout = new Promise<AuthenticationResult>((resolve) => {
        timer = setTimeout(() => resolve({ outcome: 'rejected', reason: 'plugin_timeout' }), timeoutMs);
      });
      const result = await Promise.race([Promise.resolve().then(() => plugin.authenticate!(credentials, settings, tools)), timeout]);
      const valid = result && (result.outcome === 'unknown' || (result.outcome === 'rejected' && typeof result.reason === 'string') || (result.outcome === 'authenticated' && typeof result.userId === 'string'));
      return valid ? result : { outcome: 'rejected', reason: 'plugin_error' };
    } catch (error) {
      this.logger.error({ plugin: plugin.id, err: error }, 'authenticating plugin failed; rejecting');
      return { outcome: 'rejected', reason: 'plugin_error' };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Asks the switched-on authenticating plugins, in the order `authenticate` would, what they know
   * about a login without its password; changes nothing ("test a policy").
   */
  async lookup(login: string): Promise<{ result: AccountLookup; plugin: string | null; asked: boolean }> {
    let asked = false;
    for (const { plugin, settings } of this.active) {
      // A plugin that cannot look up without the password says nothing: the local account's state stands.
      if (!plugin.authenticate || !plugin.lookup) continue;
      let result: AccountLookup;
      try {
        asked = true;
        result = await plugin.lookup(login, settings, this.tools(plugin.id, true));
      } catch (error) {
        this.logger.error({ plugin: plugin.id, err: error }, 'account lookup failed');
        result = { outcome: 'rejected', reason: 'plugin_error' };
      }
      if (result.outcome !== 'unknown') return { result, plugin: plugin.id, asked };
    }
    return { result: { outcome: 'unknown' }, plugin: null, asked };
  }

  /** Runs exactly the chain and defaults of `decide`, without writing anything: the admin console's "test a policy". */
  explain<H extends HookName>(hook: H, context: HookContexts[H]): Promise<Decision> {
    return this.evaluate(hook, context, true);
  }

  private tools(pluginId: string, dryRun: boolean) {
    return { now: () => this.clock.now(), log: (message: string, fields?: Record<string, unknown>) => this.logger.info({ plugin: pluginId, dryRun, ...fields }, message), dryRun };
  }

  private async evaluate<H extends HookName>(hook: H, context: HookContexts[H], dryRun: boolean): Promise<Decision> {
    const trace: TraceStep[] = [];
    const facts: Record<string, Record<string, unknown>> = { ...context.facts };
    let allowed = false;
    for (const { plugin, settings } of this.active) {
      const handler = plugin.hooks[hook];
      if (!handler) continue;
      const started = performance.now();
      // Each plugin gets its own frozen copy: no plugin can change what later plugins (or core) see.
      const isolated = deepFreeze(structuredClone({ ...context, facts }));
      const verdict = await this.runOne(plugin, hook, () => handler(isolated as never, settings, {
        now: () => this.clock.now(),
        log: (message, fields) => this.logger.info({ plugin: plugin.id, hook, dryRun, ...fields }, message),
        dryRun,
      }));
      const step: TraceStep = { plugin: plugin.id, outcome: verdict.outcome, reason: verdict.reason || noReason(verdict.outcome), ms: Math.round((performance.now() - started) * 100) / 100 };
      if (verdict.outcome === 'deny' || verdict.outcome === 'challenge') step.code = verdict.code;
      trace.push(step);
      if (verdict.facts) facts[plugin.id] = { ...facts[plugin.id], ...verdict.facts };
      if (verdict.outcome === 'deny') return { outcome: 'deny', code: verdict.code, reason: verdict.reason, trace, facts };
      if (verdict.outcome === 'challenge') {
        const challenge: Decision = { outcome: 'challenge', code: verdict.code, reason: verdict.reason, field: verdict.field, trace, facts };
        if (verdict.data) challenge.data = verdict.data;
        return challenge;
      }
      if (verdict.outcome === 'allow') allowed = true;
    }
    if (allowed || this.defaults[hook] === 'allow') return { outcome: 'allow', trace, facts };
    return { outcome: 'deny', code: 'no_plugin_allowed', reason: 'No policy allowed this request.', trace, facts };
  }

  /** Calls one plugin with a time limit; any failure or malformed answer becomes a deny. */
  private async runOne(plugin: PluginDecisions<any>, hook: HookName, call: () => Verdict | Promise<Verdict>): Promise<Verdict> {
    const timeoutMs = plugin.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<Verdict>((resolve) => {
        timer = setTimeout(() => resolve({ outcome: 'deny', code: 'plugin_timeout', reason: `Plugin ${plugin.id} did not answer within ${timeoutMs} ms.` }), timeoutMs);
      });
      const verdict = await Promise.race([Promise.resolve().then(call), timeout]);
      return isVerdict(verdict) ? verdict : { outcome: 'deny', code: 'plugin_error', reason: `Plugin ${plugin.id} gave no valid verdict.` };
    } catch (error) {
      this.logger.error({ plugin: plugin.id, hook, err: error }, 'policy plugin failed; denying');
      return { outcome: 'deny', code: 'plugin_error', reason: `Plugin ${plugin.id} failed.` };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** What the trace says for a plugin that gave no reason (outside plugins may omit it). */
function noReason(outcome: Verdict['outcome']): string {
  return outcome === 'allow' ? 'Allowed (the plugin gave no reason).' : 'No objection (the plugin gave no reason).';
}

function isVerdict(value: unknown): value is Verdict {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  // Facts are merged into what later plugins see, so anything but a plain object is malformed.
  if (v.facts !== undefined && (!v.facts || typeof v.facts !== 'object' || Array.isArray(v.facts))) return false;
  if (v.outcome === 'allow' || v.outcome === 'continue') return v.reason === undefined || typeof v.reason === 'string';
  if (v.outcome === 'deny') return typeof v.code === 'string' && typeof v.reason === 'string';
  if (v.outcome === 'challenge') {
    const dataOk = v.data === undefined || (!!v.data && typeof v.data === 'object' && Object.values(v.data).every((d) => typeof d === 'string'));
    return typeof v.code === 'string' && typeof v.field === 'string' && typeof v.reason === 'string' && dataOk;
  }
  return false;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
