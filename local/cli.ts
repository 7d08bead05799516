/**
 * The `securetask` command: which commands there are, and the dispatch. Each command's code is
 * imported when it runs, not before: `info` reads a file and `token` mints a token without
 * loading the AppSync runtime, the AWS stand-ins and the face engine that `start` needs.
 */
import { commandHelp, defineCommand, parseCommandArguments, usageLine, UsageError, type Command } from './cli/command.ts';

const json = { type: 'boolean', description: 'print JSON, for scripts' } as const;

export const COMMANDS: Command[] = [
  defineCommand({
    name: 'start',
    summary: 'start SecureTask on this machine (what `npm start` runs)',
    details: [
      'Serves the web app, the GraphQL API (also over https:// and wss://) and the local AWS',
      'stand-ins on one port, with everything kept in the data folder. One start per data folder:',
      'a second one on the same folder refuses and says which process has it. Ctrl+C stops it.',
      '',
      'Environment: PORT (default 4000; 0 picks a free port), SECURETASK_DATA_DIR (default',
      '.securetask), SECURETASK_WEB_DIR, ADMIN_EMAILS and the rest in README.md, "Configuration".',
    ].join('\n'),
    run: async () => (await import('./cli/start.ts')).start(),
  }),
  defineCommand({
    name: 'info',
    synopsis: '[--json]',
    summary: 'where the running local stack is: URLs, API key, region, data folder',
    options: { json },
    run: async (values) => (await import('./cli/info.ts')).info(values),
  }),
  defineCommand({
    name: 'token',
    synopsis: '--email <address> [--role ADMIN|MEMBER]',
    summary: '(local only) make or find an active user and print a session token',
    details: 'The user is made ACTIVE, with the role given (a new user is a MEMBER otherwise). Needs a running local stack.',
    options: {
      email: { type: 'string', value: '<address>', description: "the user's email (required)" },
      role: { type: 'string', value: 'ADMIN|MEMBER', description: "the user's role" },
    },
    run: async (values) => (await import('./cli/token.ts')).token(values),
  }),
  defineCommand({
    name: 'keys rotate',
    summary: 'make a new token signing key; the previous one verifies until its tokens expire',
    details: 'Writes a new ES256 key pair under <data folder>/keys and makes it the one that signs.',
    run: async () => (await import('./cli/keys.ts')).rotateKeys(),
  }),
  defineCommand({
    name: 'faces compare',
    synopsis: '<a> <b> [--json]',
    summary: 'similarity of the faces in two images (0-100), the decision and the time',
    details: 'The decision is made under the current thresholds: SECURETASK_FACE_ACCEPT and SECURETASK_FACE_REVIEW.',
    options: { json },
    positionals: ['<a>', '<b>'],
    run: async (values, [a, b]) => (await import('./faces-cli.ts')).compare(a, b, values),
  }),
  defineCommand({
    name: 'faces calibrate',
    synopsis: '<folder> [--json]',
    summary: 'error rates over images named <person>_<anything>.jpg|png, and their thresholds',
    details: [
      'Choose thresholds on your own data: genuine and impostor pairs, the equal error rate, false',
      'rejects at 0.1 % and 0.01 % false accepts. An image with several faces counts with its main',
      'face (the largest, central one), and is counted.',
    ].join('\n'),
    options: { json },
    positionals: ['<folder>'],
    run: async (values, [folder]) => (await import('./faces-cli.ts')).calibrate(folder, values),
  }),
];

/** `securetask --help` (every command on a line or two), or a group's (`securetask keys --help`). */
export function usage(commands: Command[] = COMMANDS, group?: string): string {
  const width = 30;
  const rows = commands.flatMap((command) => {
    const line = `  ${usageLine(command)}`;
    return line.length < width ? [`${line.padEnd(width)}${command.summary}`] : [line, `${''.padEnd(width)}${command.summary}`];
  });
  return [
    `Usage: securetask ${group ? `${group} ` : ''}<command> [options]`,
    '',
    'Commands:',
    ...rows,
    '',
    '`securetask <command> --help` says more about one.',
    'Environment: PORT (default 4000), SECURETASK_DATA_DIR (default .securetask), see README.md.',
  ].join('\n');
}

/** Runs one CLI command; resolves to the process exit code (2: it was called wrongly). */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'help') return help(argv.slice(1));
  if (argv.length === 0 || isHelpFlag(argv[0])) return help([]);
  const command = findCommand(argv);
  if (!command) return unknownCommand(argv);
  try {
    const parsed = parseCommandArguments(command, argv.slice(command.name.split(' ').length));
    if (parsed.kind === 'help') return help(argv);
    return await command.run(parsed.values, parsed.positionals);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`securetask ${command.name}: ${error.message}\nUsage: securetask ${usageLine(command)}\n(\`securetask ${command.name} --help\` says more)`);
      return 2;
    }
    console.error(`securetask: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** `securetask help [command]`, `securetask [command] --help`: prints, runs nothing. */
function help(words: string[]): number {
  const command = findCommand(words);
  const group = groupOf(words[0]);
  if (command) console.log(commandHelp(command));
  else if (words.length === 0) console.log(usage());
  else if (group.length > 0) console.log(usage(group, words[0]));
  else return unknownCommand(words);
  return 0;
}

function unknownCommand(words: string[]): number {
  const group = groupOf(words[0]);
  if (group.length === 0) {
    console.error(`securetask: unknown command "${words[0]}"\n\n${usage()}`);
    return 2;
  }
  // `securetask keys`: a group of commands; `securetask keys --help` asks what is in it.
  if (isHelpFlag(words[1])) return help(words.slice(0, 1));
  const which = group.map((c) => c.name.split(' ')[1]).join(' or ');
  const said = words[1] === undefined ? `say ${which}` : `unknown command "${words[1]}": say ${which}`;
  console.error(`securetask ${words[0]}: ${said}\n\n${usage(group, words[0])}`);
  return 2;
}

function findCommand(words: string[]): Command | undefined {
  return COMMANDS.find((command) => command.name.split(' ').every((word, i) => words[i] === word));
}

function groupOf(word: string | undefined): Command[] {
  return COMMANDS.filter((command) => command.name.startsWith(`${word} `));
}

function isHelpFlag(word: string | undefined): boolean {
  return word === '--help' || word === '-h';
}
