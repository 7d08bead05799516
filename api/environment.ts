import type { SecureTaskConfig } from './config.ts';
import { physicalTableName, tableVariable, topicVariable } from './naming.ts';
import type { ApiDefinition, FunctionDefinition } from './types.ts';

/** Where the deployment puts things that only it knows (ARNs, the API's own URL). */
export interface DeploymentValues {
  topicArn: (topic: string) => string;
  graphqlUrl: string;
  /** The image bucket's name (ID documents, selfies, reference faces). */
  imagesBucket: string;
  /** Where people open the web app (links in emails). */
  webUrl: string;
  /** The role the browser's liveness credentials come from (see `LivenessDefinition`). */
  livenessRoleArn: string;
}

/**
 * The environment of one function of the description, in AWS (cdk/constructs/functions.ts) and
 * locally (local/stack/functions.ts) alike: only what the description says it uses. Its tables
 * (`<TABLE>_TABLE`), the topics it publishes to (`<TOPIC>_TOPIC_ARN`), the API's URL if it calls
 * the API, the image bucket if it has access to it, the browser's liveness role if it runs liveness checks, the sender and the web app's URL if it sends
 * email, the token settings if it signs tokens or is the API's authorizer, and the config settings
 * it names. What only a deployment has (a KMS key id, a local key folder, endpoints) is added there.
 */
export function functionEnvironment(api: ApiDefinition, config: SecureTaskConfig, name: string, deployment: DeploymentValues): Record<string, string> {
  const fn = api.functions[name];
  if (!fn) throw new Error(`the API description has no function "${name}"`);
  const services = new Set(fn.services ?? []);
  const settings = new Set(fn.settings ?? []);
  const environment: Record<string, string> = {};
  for (const { table } of fn.tables ?? []) environment[tableVariable(table)] = physicalTableName(api, config.stage, table);
  for (const topic of fn.publishes ?? []) environment[topicVariable(topic)] = deployment.topicArn(topic);
  if (fn.callsApi?.length) environment.GRAPHQL_URL = deployment.graphqlUrl;
  if (fn.images) environment.IMAGES_BUCKET = deployment.imagesBucket;
  if (services.has('liveness')) environment.LIVENESS_ROLE_ARN = deployment.livenessRoleArn;
  if (services.has('email')) Object.assign(environment, { MAIL_FROM: config.mailFrom, WEB_URL: deployment.webUrl });
  if (services.has('signTokens') || isAuthorizer(api, name)) {
    Object.assign(environment, {
      TOKEN_ISSUER: config.tokenIssuer,
      TOKEN_AUDIENCE: config.tokenAudience,
      TOKEN_LIFETIME_SECONDS: String(config.tokenLifetimeSeconds),
    });
  }
  if (isAuthorizer(api, name)) environment.AUTHORIZER_TTL_SECONDS = String(config.authorizerResultTtlSeconds);
  if (settings.has('adminEmails')) environment.ADMIN_EMAILS = config.adminEmails.join(',');
  // One variable, so a deployment can never run half of an old policy.
  if (settings.has('verificationPolicy')) environment.VERIFICATION_POLICY = JSON.stringify(config.verification);
  return environment;
}

/** Whether `name` is the function the API's Lambda authorization mode calls. */
export function isAuthorizer(api: ApiDefinition, name: string): boolean {
  return api.authModes.some((mode) => mode.type === 'AWS_LAMBDA' && mode.function === name);
}

/** Whether the function needs the token signing key (to sign) or its public half (to verify). */
export function usesTokenKeys(api: ApiDefinition, name: string): boolean {
  const fn: FunctionDefinition | undefined = api.functions[name];
  return Boolean(fn?.services?.includes('signTokens')) || isAuthorizer(api, name);
}
