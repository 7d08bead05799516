import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App, type AppProps, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { defaultConfig } from '../../api/config.ts';
import { api as definition } from '../../api/definition.ts';
import type { ApiDefinition } from '../../api/types.ts';
import { deployDefaults, type DeployConfig } from '../../cdk/config.ts';
import { bundleResolvers } from '../../cdk/resolver-code.ts';
import { SecureTaskStack } from '../../cdk/stack.ts';

/** The project root, where cdk.json, schema.graphql and functions/ are. */
export const projectRoot = path.resolve(import.meta.dirname, '../..');

/** The config the unit tests deploy with. */
export const testConfig: DeployConfig = {
  ...defaultConfig,
  ...deployDefaults,
  stage: 'test',
  adminEmails: ['admin@example.com'],
  mailFrom: 'SecureTask <no-reply@tasks.example.com>',
  tokenIssuer: 'https://tasks.example.com',
  tokenKeys: [...deployDefaults.tokenKeys],
  waf: { ...deployDefaults.waf },
  logging: { ...deployDefaults.logging },
  retainData: false,
};

/**
 * Synth for tests, fast: cdk.json's feature flags (so tests see what `cdk synth` sees),
 * NodejsFunction bundling skipped, CloudFormation validation off.
 */
export function fastApp(props: AppProps = {}): App {
  const { context } = JSON.parse(readFileSync(path.join(projectRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return new App({ builtinCloudFormationValidation: false, ...props, context: { ...context, 'aws:cdk:bundling-stacks': [], ...props.context } });
}

/** Entries of the description that are not on disk yet, each reported once with why. */
export function entryPath(entry: string): string {
  const file = path.join(projectRoot, entry);
  if (existsSync(file)) return file;
  console.warn(`[cdk test] ${entry} does not exist yet: its function is synthesised from a placeholder handler`);
  return path.join(projectRoot, 'test/cdk/fixtures/missing-handler.ts');
}

/** A synthesised SecureTask stack, checked by cdk-nag, with its template. */
export interface Synthesised {
  stack: SecureTaskStack;
  template: Template;
  /** cdk-nag's AwsSolutions report on the whole app, acknowledgements applied. */
  nag: PolicyValidationPluginReport;
}

/** Synthesises the stack from the real description in fast mode, and cdk-nag's AwsSolutions report on it. */
export async function synthStack(options: { api?: ApiDefinition; config?: Partial<DeployConfig>; webAssetsPath?: string } = {}): Promise<Synthesised> {
  const api = options.api ?? definition;
  const resolverCode = await bundleResolvers(projectRoot, api, {
    missing: 'stub',
    onMissing: (file) => console.warn(`[cdk test] ${file} does not exist yet: its resolver is synthesised with stub code`),
  });
  const app = fastApp();
  const stack = new SecureTaskStack(app, 'SecureTask-test', {
    env: { account: '123456789012', region: 'eu-west-1' },
    api,
    config: { ...testConfig, ...options.config },
    projectRoot,
    resolverCode,
    entryPath,
    webAssetsPath: options.webAssetsPath,
  });
  const template = Template.fromStack(stack);
  return { stack, template, nag: new AwsSolutionsChecks(app).validateScope(app) };
}
