import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag findings on `scope` and everything under it, each with the reason it is
 * acceptable here (cdk-nag 3 uses CDK's own `Validations.acknowledge`; a finding with a
 * detail, like one IAM wildcard, is acknowledged by its full id `Rule[detail]`).
 */
export function acknowledge(scope: IConstruct, findings: Record<string, string>): void {
  for (const [id, reason] of Object.entries(findings)) Validations.of(scope).acknowledge({ id, reason });
}
