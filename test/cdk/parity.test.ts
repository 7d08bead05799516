import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../api/definition.ts';
import { bundleResolver } from '../../api/resolver-bundle.ts';
import { projectRoot, synthStack, testConfig, type Synthesised } from './synth.ts';
import { TemplateIndex } from './template.ts';

// The deployed API and the local runtime serve the same set because both come from api/definition.ts;
// this checks that the template did not drop, add or rewire anything on the way.
let synth: Synthesised;
let index: TemplateIndex;
beforeAll(async () => {
  synth = await synthStack();
  index = new TemplateIndex(synth.template);
});

describe('the template serves what the local runtime serves', () => {
  it('has one AppSync resolver per described Type.field, and no other', () => {
    const deployed = index.ofType('AWS::AppSync::Resolver').map(([, r]) => `${r.Properties.TypeName}.${r.Properties.FieldName}`);
    expect(deployed.sort()).toEqual(Object.keys(api.resolvers).sort());
  });

  it('binds each resolver to its described data source, as UNIT or PIPELINE, on APPSYNC_JS', () => {
    for (const [, r] of index.ofType('AWS::AppSync::Resolver')) {
      const described = api.resolvers[`${r.Properties.TypeName}.${r.Properties.FieldName}`];
      expect(r.Properties.Runtime).toEqual({ Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' });
      expect(r.Properties.Kind).toBe(described.kind);
      if (described.kind === 'UNIT') expect(r.Properties.DataSourceName).toBe(described.dataSource);
      else expect(r.Properties.PipelineConfig.Functions).toHaveLength(described.functions.length);
    }
    expect(index.ofType('AWS::AppSync::FunctionConfiguration').map(([, f]) => f.Properties.Name).sort()).toEqual(Object.keys(api.pipelineFunctions).sort());
  });

  it('has the described data sources with their kinds', () => {
    const kinds = { DYNAMODB: 'AMAZON_DYNAMODB', LAMBDA: 'AWS_LAMBDA', NONE: 'NONE' } as const;
    const deployed = Object.fromEntries(index.ofType('AWS::AppSync::DataSource').map(([, d]) => [d.Properties.Name, d.Properties.Type]));
    expect(deployed).toEqual(Object.fromEntries(Object.entries(api.dataSources).map(([name, d]) => [name, kinds[d.kind]])));
  });

  it('uploads, for each resolver that exists on disk, the very bundle the local runtime loads', async () => {
    for (const [, r] of index.ofType('AWS::AppSync::Resolver')) {
      const described = api.resolvers[`${r.Properties.TypeName}.${r.Properties.FieldName}`];
      const local = await bundleResolver(projectRoot, described.code).catch(() => undefined);
      if (!local) {
        console.warn(`[cdk test] ${described.code} could not be bundled now; skipped`);
        continue;
      }
      expect(r.Properties.Code, described.code).toBe(local.code);
    }
  });

  it('has one Lambda function per described function, and no other of ours', () => {
    const ours = index
      .ofType('AWS::Lambda::Function')
      .map(([, f]) => f.Properties.FunctionName as unknown)
      .filter((name): name is string => typeof name === 'string');
    // Besides the description's functions, one that exists only in AWS: the API key renewal (the
    // local runtime renews its key itself when it starts).
    const operational = ['apiKeyRenewal'];
    expect(ours.sort()).toEqual([...Object.keys(api.functions), ...operational].map((name) => `${api.name}-${testConfig.stage}-${name}`).sort());
    // The only others are CDK's own: one empties buckets on `destroy` outside prod, and the
    // Provider framework's runs the deploy-time triggers (the boards migration) for CloudFormation.
    const others = index.ofType('AWS::Lambda::Function').filter(([, f]) => typeof f.Properties.FunctionName !== 'string');
    const deployTriggers = Object.entries(api.functions).flatMap(([name, fn]) => ((fn.triggers ?? []).some((t) => t.kind === 'DEPLOY') ? [name] : []));
    expect(others.map(([id]) => id).filter((id) => !id.startsWith('CustomS3AutoDeleteObjects') && !deployTriggers.some((name) => id.startsWith(`RealTime${name}Deploy`)))).toEqual([]);
  });
});
