import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildWebAppIfStale } from '../frontend/build.ts';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { api } from '../api/definition.ts';
import { DeployConfigError, deployConfig, type DeployConfig } from './config.ts';
import { bundleResolvers } from './resolver-code.ts';
import { SecureTaskStack } from './stack.ts';

/**
 * The CDK app (`cdk.json`: `npx tsx cdk/app.ts`): reads the config, bundles the resolvers the
 * way the local runtime does, builds the one stack and checks it with cdk-nag's AwsSolutions
 * pack, whose errors fail the synth.
 */
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const app = new App();
const config = configOrExit();
// The web app is built here when its sources are newer than frontend/dist, so a deploy ships what is checked out.
await buildWebAppIfStale(path.join(projectRoot, 'frontend'), (line) => console.error(`note: ${line}`));
const webAssetsPath = path.join(projectRoot, 'frontend', 'dist');
const hasWebAssets = existsSync(path.join(webAssetsPath, 'index.html'));
if (!hasWebAssets) console.error('note: frontend/dist has no index.html; the web bucket is created but nothing is deployed to it');

new SecureTaskStack(app, `SecureTask-${config.stage}`, {
  description: `SecureTask (${config.stage}): AppSync, DynamoDB, Lambda, SNS, S3, KMS, CloudFront`,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: config.region },
  api,
  config,
  projectRoot,
  resolverCode: await bundleResolvers(projectRoot, api, { missing: 'fail' }),
  webAssetsPath: hasWebAssets ? webAssetsPath : undefined,
  tags: { project: 'securetask', stage: config.stage },
  // CloudFormation takes at most 1 MB of template; ours was 982 KB indented, 882 KB without.
  suppressTemplateIndentation: true,
});
// Any finding that is not acknowledged (with its reason, next to the resource) stops the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();

/** The deployment config, or the process ends with the list of what is missing (no stack trace: nothing is broken but the settings). */
function configOrExit(): DeployConfig {
  try {
    return deployConfig(app.node);
  } catch (error) {
    if (!(error instanceof DeployConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
