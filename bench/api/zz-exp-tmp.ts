// TEMPORARY experiment driver (deleted after use): engine overhead A/B.
import vm from 'node:vm';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { defaultConfig } from '../../api/config.ts';
import { api } from '../../api/definition.ts';
import { physicalTableName, tableEnvironment } from '../../api/naming.ts';
import { loadLocalKeys } from '../../functions/shared/tokens/local-keys.ts';
import { mintSessionToken } from '../../functions/shared/tokens/sign.ts';
import { dataFiles } from '../../local/data-dir.ts';
import { ensureActiveUser } from '../../local/dev-users.ts';
import { startDynamoDBLocal } from '../../local/services/dynamodb-local.ts';
import { startLocalStack, LOCAL_API_ID, LOCAL_ACCOUNT_ID } from '../../local/stack.ts';
import { createAuthenticator } from '../../local/appsync/auth/authenticate.ts';
import { createLambdaAuthorizer } from '../../local/appsync/auth/lambda-authorizer.ts';
import { createEngine } from '../../local/appsync/engine.ts';
import { seedTasks } from './seed.ts';
import { DynamoDBTimer } from './dynamodb-time.ts';
import { summarize } from './load.ts';
process.env.SECURETASK_LOG_LEVEL = 'silent';
const ddb = await startDynamoDBLocal({});
const dataDir = await mkdtemp(path.join(tmpdir(), 'prof-'));
const config = { ...defaultConfig, stage: 'bench' };
const stack = await startLocalStack({ projectRoot: path.resolve(import.meta.dirname, '../..'), api, config, dataDir, port: 0, dynamodbEndpoint: ddb.endpoint });
const raw = new DynamoDBClient({ endpoint: ddb.endpoint, region: config.region });
const user = await ensureActiveUser(raw, physicalTableName(api, 'bench', 'Users'), 'p@x.local', 'MEMBER');
const { active } = await loadLocalKeys(dataFiles(dataDir).keysDir);
const { token } = await mintSessionToken({ sub: user.id, email: user.email, role: user.role }, active, { issuer: config.tokenIssuer, audience: config.tokenAudience, lifetimeSeconds: 1800 });
await seedTasks({ client: raw, tableName: physicalTableName(api, 'bench', 'Tasks'), userId: user.id, count: 2000 });
const lm = api.authModes.find((m) => m.type === 'AWS_LAMBDA') as any;
const engine = createEngine({ schema: stack.api.schema, rules: stack.api.rules, resolvers: stack.api.resolvers,
  authenticate: createAuthenticator({ modes: api.authModes.map((m) => m.type), lambda: createLambdaAuthorizer({ invoke: (e) => stack.api.invokeFunction(lm.function, e), resultTtlSeconds: 60, identityValidationExpression: lm.identityValidationExpression }), apiKeys: () => [], iamCredentials: () => undefined, region: config.region, apiId: LOCAL_API_ID, accountId: LOCAL_ACCOUNT_ID }),
  env: tableEnvironment(api, 'bench'), domainName: 'x' });
const body = JSON.stringify({ query: '{ tasks(limit: 50) { items { id title status priority version } nextToken } }' });
const timer = new DynamoDBTimer(); timer.install();
const req = () => ({ method: 'POST', host: 'x', path: '/graphql', headers: { authorization: token, 'content-type': 'application/json' }, body, sourceIp: '127.0.0.1' });
async function measure(label: string) {
  const over: number[] = []; const tot: number[] = [];
  for (let i = 0; i < 1200; i++) {
    timer.reset(); const t0 = process.hrtime.bigint();
    const r = await engine.handle(req()); JSON.stringify(r.body);
    const t1 = process.hrtime.bigint();
    if (i >= 200) { over.push(Number(t1 - t0 - timer.ns) / 1e6); tot.push(Number(t1 - t0) / 1e6); }
  }
  const s = summarize(over); console.log(label, 'overhead p50', s.p50.toFixed(3), 'p99', s.p99.toFixed(3), 'mean', s.mean.toFixed(3), 'total p50', summarize(tot).p50.toFixed(3));
}
const orig = vm.Script.prototype.runInContext;
for (let round = 0; round < 2; round++) {
  vm.Script.prototype.runInContext = orig; await measure('as is           ');
  vm.Script.prototype.runInContext = function (this: vm.Script, c: vm.Context, o?: vm.RunningScriptOptions) { return orig.call(this, c, o && { ...o, timeout: undefined }); };
  await measure('no vm timeout   ');
}
vm.Script.prototype.runInContext = orig;
// in-engine profile of the as-is path
const { Session } = await import('node:inspector/promises');
const session = new Session(); session.connect();
await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 50 }); await session.post('Profiler.start');
await measure('as is (profiled)');
const { profile } = await session.post('Profiler.stop');
(await import('node:fs')).writeFileSync('/tmp/prof/engine.cpuprofile', JSON.stringify(profile));
timer.uninstall(); await stack.stop(); raw.destroy(); await ddb.stop(); process.exit(0);
