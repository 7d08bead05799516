#!/usr/bin/env node
// The `securetask` command. TypeScript sources run through tsx, so there is no build step.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// The project runs on Node 22 LTS (the version Lambda runs), which `npm install` brings as the
// `node` package: npm scripts and npx find it first on their PATH. Started by an older Node
// (`node bin/securetask.js`), the command runs itself again on the project's own.
if (Number(process.versions.node.split('.')[0]) < 22) {
  const projectNode = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(projectNode)) {
    console.error(`securetask: this is Node ${process.version}; SecureTask runs on Node 22, which \`npm install\` brings. Run \`npm install\` first.`);
    process.exit(1);
  }
  const { status, signal } = spawnSync(projectNode, process.argv.slice(1), { stdio: 'inherit' });
  process.exit(status ?? (signal ? 128 + 2 : 1));
}

// Node keeps the compiled code of the modules a command loads for the next run: a fifth of the
// time `securetask token` takes, mostly the AWS SDK's. In the project's node_modules/.cache, not
// in the temp folder that every user of the machine shares.
module.enableCompileCache?.(fileURLToPath(new URL('../node_modules/.cache/node-compile-cache', import.meta.url)));

// graphql-js skips its development-time checks in production mode; they cost ~2 % of a request.
process.env.NODE_ENV ??= 'production';

const { register } = await import('tsx/esm/api');
register();
// local/cli.ts imports each command's code when it runs: `info` does not load the whole stack.
const { main } = await import('../local/cli.ts');
process.exitCode = await main(process.argv.slice(2));
