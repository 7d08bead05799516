/**
 * The local AppSync: an emulator of AWS AppSync's GraphQL and real-time endpoints that knows
 * nothing of SecureTask. Give it a schema, resolvers (APPSYNC_JS bundles), data sources and auth
 * modes; it answers as AppSync does. See README.md.
 */
export { createEngine, type Engine, type EngineOptions, type EngineResponse } from './engine.ts';
export { loadAppSyncSchema } from './schema.ts';
export { DirectiveRules } from './auth/directives.ts';
export { createAuthenticator, type AuthModeType, type Authenticator } from './auth/authenticate.ts';
export { createLambdaAuthorizer, type AuthorizerEvent, type LambdaAuthorizer } from './auth/lambda-authorizer.ts';
export { newApiKey, type ApiKey } from './auth/api-keys.ts';
export { verifySigV4, type LocalCredentials } from './auth/iam.ts';
export { createDynamoDBDataSource } from './datasources/dynamodb.ts';
export { createLambdaDataSource } from './datasources/lambda.ts';
export { noneDataSource, type DataSource } from './datasources/index.ts';
export { createNextTokenCodec, type NextTokenCodec } from './datasources/next-token.ts';
export type { LoadedResolver } from './resolver-runner.ts';
export { assertAppSyncRules, AppSyncCodeError } from './runtime/lint.ts';
export { loadSandboxedModule, type ResolverModuleSource, type SandboxedModule } from './runtime/sandbox.ts';
export { createHttpServer, wantsHtml, type HttpServerOptions, type Page } from './http-server.ts';
export { SubscriptionHub, subscriptionsByMutation } from './realtime/hub.ts';
export { createRealtimeCore, type RealtimeCore, type RealtimeOptions } from './realtime/server.ts';
export { attachWebSocketAdapter } from './realtime/ws-adapter.ts';
