import path from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { configFromEnv, type SecureTaskConfig } from '../../api/config.ts';
import { api } from '../../api/definition.ts';
import { physicalTableName } from '../../api/naming.ts';
import { buildConsoleIfStale, buildWebAppIfStale } from '../../frontend/build.ts';
import { JavaMissingError } from '../aws/dynamodb/dynamodb-local.ts';
import { FfmpegMissingError } from '../aws/rekognition/liveness/video-frames.ts';
import { dataFiles } from '../data-dir.ts';
import { startLocalStack, type LocalStack } from '../stack/index.ts';
import { projectRoot, shown } from './project.ts';

/** What {@link serve} needs from `securetask start`, which holds the data folder. */
export interface ServeOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Called once the stack answers, with where. */
  onReady: (serving: { port: number; url: string }) => void;
}

/**
 * Starts the local stack on a data folder this process holds (see start.ts), prints the first screen, and runs
 * until Ctrl+C (or SIGTERM); resolves to the exit code.
 */
export async function serve({ dataDir, port, onReady }: ServeOptions): Promise<number> {
  const step = (line: string) => console.log(`  - ${line}`);
  // runtime.json is removed on a clean stop, and nobody else holds the folder now: one left
  // behind means the last run was killed or crashed. A torn one (killed mid-write) says as much.
  const previous = await dataFiles(dataDir).runtimeInfo().catch(() => ({ pid: 0 }));
  if (previous) {
    step(`the previous run${previous.pid ? ` (pid ${previous.pid})` : ''} did not stop cleanly (killed or crashed): resuming from the data folder; no acknowledged write is lost`);
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
  let stack: LocalStack;
  try {
    if (!process.env.SECURETASK_WEB_DIR) {
      await buildWebAppIfStale(frontendDir, step);
      await buildConsoleIfStale(frontendDir, step);
    }
    stack = await startLocalStack({ projectRoot, api, config, dataDir, port, log: step, webAppDir, consoleDir: path.join(frontendDir, 'console', 'dist') });
  } catch (error) {
    if (error instanceof JavaMissingError || error instanceof FfmpegMissingError) {
      console.error(`\n${error.message}`);
      return 1;
    }
    throw error;
  }
  const base = stack.graphqlUrl.replace('/graphql', '');
  onReady({ port: Number(new URL(base).port), url: `${base}/` });
  const who = await whoMayJoin(stack, config);
  console.log(`
SecureTask is ready in ${((Date.now() - started) / 1000).toFixed(1)} s

  Open        ${base}/   (the web app)
  API console ${base}/local  (GraphiQL; curl gets the settings in plain text)
  Outbox      ${base}/outbox  (every email SecureTask sends)
  GraphQL     ${stack.graphqlUrl}
  Real time   ${stack.realtimeUrl}
  API key     ${stack.apiKey}
  Region      ${stack.region}

  The same port answers https:// and wss:// (Amplify's client always uses wss://). Trust
  ${shown(stack.certificateFile)} to use them: in Node, NODE_EXTRA_CA_CERTS=<that file>;
  in a browser, import it as a trusted certificate.

  ${who}
  A token to call the API:  npx securetask token --email you@example.com --role ADMIN
  Press Ctrl+C to stop.
`);
  // The face models and the ID reader's OCR load now, in worker threads, so that the first
  // verification does not wait for them; the API answers meanwhile.
  step("loading the face matcher and the ID reader's OCR in worker threads (a verification started now waits for them)");
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
async function whoMayJoin(stack: { dynamodbEndpoint: string; region: string }, config: SecureTaskConfig): Promise<string> {
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
