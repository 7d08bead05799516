import { Validations } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthStack, type Synthesised } from './synth.ts';

let synth: Synthesised;
beforeAll(async () => {
  synth = await synthStack();
});

describe("cdk-nag's AwsSolutions pack", () => {
  it('finds nothing that is not acknowledged', () => {
    const findings = synth.nag.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });

  it('has a reason of substance for every acknowledgement', () => {
    const acknowledged = synth.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) expect(String(reason).length, id).toBeGreaterThan(40);
  });
});
