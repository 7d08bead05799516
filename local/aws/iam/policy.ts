/**
 * Identity-based policy evaluation, as IAM does it for one principal's Allow statements: a request
 * is allowed when some statement names its action and its resource and its conditions hold;
 * everything else is an implicit deny. Wildcards `*` and `?` match as in IAM (case-insensitive for
 * actions, case-sensitive for ARNs). Explicit denies, resource policies and other condition
 * operators than `StringEquals` are not needed by the stand-ins and are not implemented.
 * See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html.
 */

/** One Allow statement. */
export interface PolicyStatement {
  actions: string[];
  resources: string[];
  /** `{ StringEquals: { 'kms:RequestAlias': 'alias/x' } }`. */
  conditions?: Record<string, Record<string, string>>;
}

/** What a request asks: `dynamodb:PutItem` on an ARN (`*` for actions that have no resource), with its context keys. */
export interface AccessRequest {
  action: string;
  resource: string;
  context?: Record<string, string>;
}

/** A principal's statements, compiled once: wildcards turned into regular expressions. */
export interface CompiledPolicy {
  allows(request: AccessRequest): boolean;
}

interface CompiledStatement {
  actions: RegExp[];
  resources: RegExp[];
  conditions?: Record<string, Record<string, string>>;
}

/** Compiles Allow statements; `allows` is then a few regular-expression tests per statement. */
export function compilePolicy(statements: readonly PolicyStatement[]): CompiledPolicy {
  const compiled: CompiledStatement[] = statements.map((statement) => ({
    actions: statement.actions.map((action) => wildcard(action, 'i')),
    resources: statement.resources.map((resource) => wildcard(resource, '')),
    conditions: statement.conditions,
  }));
  return {
    allows(request) {
      return compiled.some(
        (statement) =>
          statement.actions.some((pattern) => pattern.test(request.action)) &&
          statement.resources.some((pattern) => pattern.test(request.resource)) &&
          conditionsHold(statement.conditions, request.context ?? {}),
      );
    },
  };
}

function conditionsHold(conditions: CompiledStatement['conditions'], context: Record<string, string>): boolean {
  if (!conditions) return true;
  return Object.entries(conditions).every(([operator, keys]) => {
    if (operator !== 'StringEquals') throw new Error(`the local policy check does not implement the ${operator} condition operator`);
    return Object.entries(keys).every(([key, value]) => context[key] === value);
  });
}

function wildcard(pattern: string, flags: string): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, flags);
}
