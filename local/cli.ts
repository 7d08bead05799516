import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { configFromEnv } from '../api/config.ts';
import { api } from '../api/definition.ts';
import { physicalTableName } from '../api/naming.ts';
import { loadLocalKeys, rotateLocalKey } from '../functions/shared/tokens/local-keys.ts';
import { mintSessionToken } from '../functions/shared/tokens/sign.ts';
import { dataFiles, resolveDataDir, type RuntimeInfo } from './data-dir.ts';
import { ensureActiveUser } from './dev-users.ts';
import { facesCommand, FACES_USAGE } from './faces-cli.ts';
import { JavaMissingError } from './aws/dynamodb/dynamodb-local.ts';
import { startLocalStack } from './stack.ts';
import { buildWebAppIfStale } from '../frontend/build.ts';
import { isAlive } from './processes.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `Usage: securetask <command> [options]

Commands:
  start                         start SecureTask on this machine (what \`npm start\` runs)
  info [--json]                 where the running local stack is: URLs, API key, region, data folder
  token --email <e> [--role ADMIN|MEMBER]
                                (local only) make or find an active user and print a session token
  keys rotate                   make a new token signing key; tokens signed by older keys stay valid
${FACES_USAGE}

Environment: PORT (default 4000), SECURETASK_DATA_DIR (default .securetask/), see README.md.`;

/** Runs one CLI command; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        return await start();
      case 'info':
        return await info(rest);
      case 'token':
        return await token(rest);
      case 'keys':
        return await keys(rest);
      case 'faces':
        return await facesCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return 0;
      default:
        console.error(`securetask: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    console.error(`securetask: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function start(): Promise<number> {
  const dataDir = resolveDataDir(projectRoot);
  const port = Number(process.env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
  const step = (line: string) => console.log(`  - ${line}`);
  console.log(`SecureTask: starting the local stack on Node ${process.version} (data in ${shown(dataDir)})`);
  // A torn runtime.json (killed mid-write) says as much as a missing one: nothing to report.
  const previous = await dataFiles(dataDir).runtimeInfo().catch(() => undefined);
  if (previous && previous.pid !== process.pid && !isAlive(previous.pid)) {
    // runtime.json is removed on a clean stop: one left behind means the last run was killed or crashed.
    step(`the previous run (pid ${previous.pid}) did not stop cleanly (killed or crashed): resuming from the data folder; no acknowledged write is lost`);
  }
  const started = Date.now();
  const config = configFromEnv();
  // A fresh laptop has nobody to invite the first person: unless admins are configured (or the
  // rule is turned off), the first person to verify becomes the admin.
  if (config.adminEmails.length === 0 && process.env.SECURETASK_FIRST_USER_ADMIN !== 'false') {
    config.verification = { ...config.verification, firstUserBecomesAdmin: true };
  }
  // SECURETASK_WEB_DIR serves an app built elsewhere (vite build --outDir …) as it is.
  const frontendDir = path.join(projectRoot, 'frontend');
  const webAppDir = process.env.SECURETASK_WEB_DIR ? path.resolve(process.env.SECURETASK_WEB_DIR) : path.join(frontendDir, 'dist');
  if (!process.env.SECURETASK_WEB_DIR) await buildWebAppIfStale(frontendDir, step);
  let stack;
  try {
    stack = await startLocalStack({ projectRoot, api, config, dataDir, port, log: step, webAppDir });
  } catch (error) {
    if (error instanceof JavaMissingError) {
      console.error(`\n${error.message}`);
      return 1;
    }
    throw error;
  }
  const who = await whoMayJoin(stack, config);
  console.log(`
SecureTask is ready in ${((Date.now() - started) / 1000).toFixed(1)} s

  Open        ${stack.graphqlUrl.replace('/graphql', '/')}   (the web app)
  API details ${stack.graphqlUrl.replace('/graphql', '/local')}  (for scripts and other GraphQL clients)
  Outbox      ${stack.graphqlUrl.replace('/graphql', '/outbox')}  (every email SecureTask sends)
  GraphQL     ${stack.graphqlUrl}
  Real time   ${stack.realtimeUrl}
  API key     ${stack.apiKey}
  Region      ${stack.region}

  The same port answers https:// and wss:// (Amplify's client always uses wss://). Trust
  ${shown(stack.certificateFile)} to use them: in Node, NODE_EXTRA_CA_CERTS=<that file>;
  in a browser, import it as a trusted certificate.

  ${who}
  A token to call the API:  npx securetask token --email you@example.com --role ADMIN
  Press Ctrl+C to stop.`);
  // Load the face models now, in worker threads, so the first verification does not wait.
  void stack.services.faces.warm().catch((error: unknown) => console.error(`securetask: the face matcher failed to load: ${error instanceof Error ? error.message : String(error)}`));
  void stack.services.documents.warm().catch((error: unknown) => console.error(`securetask: the ID reader's OCR failed to load: ${error instanceof Error ? error.message : String(error)}`));

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log('\nSecureTask: stopping (Ctrl+C again to stop at once)');
  // A second signal does not wait: what was written is safe (DynamoDB Local is stopped cleanly
  // when this process goes), and the stream pollers resume from their checkpoints next time.
  const now = () => {
    console.log('SecureTask: stopping at once');
    process.exit(130);
  };
  process.once('SIGINT', now);
  process.once('SIGTERM', now);
  await stack.stop();
  return 0;
}

/** Who may verify on this install, in one line for the start screen. */
async function whoMayJoin(stack: { dynamodbEndpoint: string; region: string }, config: ReturnType<typeof configFromEnv>): Promise<string> {
  if (config.adminEmails.length > 0) return `Admins (ADMIN_EMAILS): ${config.adminEmails.join(', ')}; they may verify without an invitation.`;
  const client = new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: stack.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const { Count } = await client.send(new ScanCommand({ TableName: physicalTableName(api, config.stage, 'Users'), Select: 'COUNT', Limit: 1 }));
    if (!Count && config.verification.firstUserBecomesAdmin) return 'No users yet: the FIRST PERSON TO VERIFY their face becomes the admin.';
    return config.verification.signup === 'open' ? 'Signup is open: anyone may verify, as a member.' : 'Signup is by invitation: an admin invites people (inviteUser).';
  } finally {
    client.destroy();
  }
}

/** A path as a person wants to read it: relative when it is below the working folder. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative || '.';
}

async function running(): Promise<RuntimeInfo> {
  const dataDir = resolveDataDir(projectRoot);
  const found = await dataFiles(dataDir).runtimeInfo();
  const alive = found && isAlive(found.pid);
  if (!found || !alive) throw new Error(`no local stack is running for ${dataDir}: start one with \`npm start\``);
  return found;
}

async function info(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  const found = await running();
  const { graphqlUrl, realtimeUrl, apiKey, region, dataDir, certificateFile, awsEndpoints } = found;
  if (values.json) console.log(JSON.stringify({ graphqlUrl, realtimeUrl, apiKey, region, dataDir, certificateFile, awsEndpoints }, null, 2));
  else {
    console.log(`GraphQL     ${graphqlUrl}\nReal time   ${realtimeUrl}\nAPI key     ${apiKey}\nRegion      ${region}\nData        ${dataDir}`);
    console.log(`TLS         the same URLs as https:// and wss:// with the certificate ${certificateFile}`);
  }
  return 0;
}

async function token(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, role: { type: 'string' } } });
  const email = values.email?.trim();
  if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new Error('token needs --email <address>');
  const role = values.role?.toUpperCase();
  if (role !== undefined && role !== 'ADMIN' && role !== 'MEMBER') throw new Error('--role must be ADMIN or MEMBER');
  const config = configFromEnv();
  const found = await running();
  const client = new DynamoDBClient({ endpoint: found.dynamodbEndpoint, region: config.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const user = await ensureActiveUser(client, (table) => physicalTableName(api, config.stage, table), email, role);
  client.destroy();
  const { active } = await loadLocalKeys(dataFiles(found.dataDir).keysDir);
  const minted = await mintSessionToken({ sub: user.id, email: user.email, role: user.role }, active, {
    issuer: config.tokenIssuer,
    audience: config.tokenAudience,
    lifetimeSeconds: config.tokenLifetimeSeconds,
  });
  console.log(minted.token);
  return 0;
}

async function keys(args: string[]): Promise<number> {
  if (args[0] !== 'rotate') throw new Error('usage: securetask keys rotate');
  const kid = await rotateLocalKey(dataFiles(resolveDataDir(projectRoot)).keysDir);
  console.log(`new signing key ${kid}; tokens signed by older keys stay valid until they expire`);
  return 0;
}
