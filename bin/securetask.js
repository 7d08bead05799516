#!/usr/bin/env node
// The `securetask` command. TypeScript sources run through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every run that its 2027 releases will need Node 22; README.md says so
// once, and the CLI's own output stays readable. Every other warning still prints.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'NodeVersionSupportWarning' || String(warning).includes('NodeVersionSupportWarning')) return;
  emitWarning(warning, ...rest);
};

// graphql-js skips its development-time checks in production mode; they cost ~2 % of a request.
process.env.NODE_ENV ??= 'production';

register();
const { main } = await import('../local/cli.ts');
process.exitCode = await main(process.argv.slice(2));
