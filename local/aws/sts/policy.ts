/**
 * IAM policy documents, as far as the local STS needs them: which actions a statement allows or
 * denies. Resources and conditions are not evaluated (every statement is taken to apply to every
 * resource), which is stricter than nothing and looser than IAM: a local stand-in answers "may
 * this principal call this API at all", the question that vending narrow browser credentials
 * turns on. See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html.
 */
import { SecureTaskError } from '../../../lib/errors.ts';

/** One statement: Effect and Action (or NotAction); Resource and Condition are kept but not evaluated. */
export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: unknown;
}

/** A policy document: `{ "Version": "2012-10-17", "Statement": [...] }`. */
export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/** A policy document that IAM would refuse; `message` uses IAM's wording. */
export class MalformedPolicyError extends SecureTaskError {
  override readonly code = 'MALFORMED_POLICY';
}

/** Reads a policy document from JSON text as IAM does, or throws {@link MalformedPolicyError}. */
export function parsePolicy(text: string): PolicyDocument {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new MalformedPolicyError('Syntax errors in policy.');
  }
  if (!isRecord(document) || document.Statement === undefined) throw new MalformedPolicyError('Policy document must contain a Statement.');
  if (document.Version !== undefined && document.Version !== '2012-10-17' && document.Version !== '2008-10-17') {
    throw new MalformedPolicyError(`The policy failed legacy parsing: unknown Version ${String(document.Version)}.`);
  }
  for (const statement of asList(document.Statement)) {
    if (!isRecord(statement)) throw new MalformedPolicyError('Statement must be an object.');
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') throw new MalformedPolicyError('Invalid effect: Effect must be Allow or Deny.');
    const actions = statement.Action ?? statement.NotAction;
    if (actions === undefined || (statement.Action !== undefined && statement.NotAction !== undefined)) {
      throw new MalformedPolicyError('Statement must contain either Action or NotAction.');
    }
    for (const action of asList(actions)) {
      if (typeof action !== 'string' || !/^(\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+)$/.test(action)) {
        throw new MalformedPolicyError(`Action vendor must be fully qualified and cannot contain regexes: ${String(action)}.`);
      }
    }
  }
  return document as unknown as PolicyDocument;
}

/** What a set of policies says of an action: an explicit Deny wins over any Allow; no statement is an implicit deny. */
export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

/** The decision of one set of policies (e.g. a role's policies) for `action` (`service:Operation`). */
export function decide(policies: PolicyDocument[], action: string): Decision {
  let allowed = false;
  for (const policy of policies) {
    for (const statement of asList(policy.Statement)) {
      if (!statementMatches(statement, action)) continue;
      if (statement.Effect === 'Deny') return 'explicit-deny';
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/**
 * An assumed role's effective permissions: the intersection of the role's identity policies and
 * the session policy passed to AssumeRole (when there is one), with an explicit Deny in either
 * winning. A session policy can only narrow what the role allows, never widen it.
 */
export function decideForSession(rolePolicies: PolicyDocument[], sessionPolicy: PolicyDocument | undefined, action: string): Decision {
  const role = decide(rolePolicies, action);
  const session = sessionPolicy ? decide([sessionPolicy], action) : 'allow';
  if (role === 'explicit-deny' || session === 'explicit-deny') return 'explicit-deny';
  return role === 'allow' && session === 'allow' ? 'allow' : 'implicit-deny';
}

function statementMatches(statement: PolicyStatement, action: string): boolean {
  if (statement.Action !== undefined) return asList(statement.Action).some((pattern) => actionMatches(pattern, action));
  return !asList(statement.NotAction ?? []).some((pattern) => actionMatches(pattern, action));
}

/** IAM action patterns: case-insensitive, `*` any run of characters, `?` one character. */
export function actionMatches(pattern: string, action: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'i').test(action);
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
