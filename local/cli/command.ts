/**
 * What a CLI command is, and how its arguments are read: strictly, with `--help` (or `-h`)
 * answered before anything runs. A command's code is loaded only once its arguments are known to
 * be good, so asking for help, or making a typo, costs no more than reading this file.
 */
import { parseArgs } from 'node:util';
import { SecureTaskError } from '../../lib/errors.ts';

/** One option of a command, as its help shows it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The value's placeholder in the help (`<address>`); string options only. */
  value?: string;
  description: string;
}

type OptionValues<O extends Record<string, OptionSpec>> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string;
};

/** A command the way the dispatcher sees it. */
export interface Command {
  /** The words that select it: `info`, `keys rotate`. */
  name: string;
  /** Its arguments in the usage line: `<a> <b> [--json]`. */
  synopsis: string;
  /** One line: what it does. */
  summary: string;
  /** More for `--help`: when to use it, the environment it reads. */
  details?: string;
  options: Record<string, OptionSpec>;
  /** The names of its positional arguments, all required (`<folder>`). */
  positionals: string[];
  /** Runs it with arguments already checked; resolves to the exit code. */
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}

/** Declares a command; `run` receives its options typed as declared. */
export function defineCommand<const O extends Record<string, OptionSpec>>(command: {
  name: string;
  synopsis?: string;
  summary: string;
  details?: string;
  options?: O;
  positionals?: string[];
  run(values: OptionValues<O>, positionals: string[]): Promise<number>;
}): Command {
  return {
    synopsis: '',
    positionals: [],
    ...command,
    options: command.options ?? {},
    run: (values, positionals) => command.run(values as OptionValues<O>, positionals),
  };
}

/** A mistake in how a command was called: shown with its usage, exit code 2. */
export class UsageError extends SecureTaskError {
  override readonly code = 'USAGE';
}

/** The outcome of reading a command's arguments. */
export type ParsedArguments =
  | { kind: 'help' }
  | { kind: 'run'; values: Record<string, string | boolean | undefined>; positionals: string[] };

/**
 * Reads `args` for `command`: `{ kind: 'help' }` when `--help`/`-h` is among the options
 * (whatever else is there), otherwise the checked values; throws {@link UsageError} for an
 * unknown option, a missing value, or the wrong number of positional arguments.
 */
export function parseCommandArguments(command: Command, args: string[]): ParsedArguments {
  const options = Object.fromEntries(Object.entries(command.options).map(([name, spec]) => [name, { type: spec.type }]));
  // Help first, and leniently: `start --help --port 5` is still a question, not a start.
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((token) => token.kind === 'option' && (token.name === 'help' || token.name === 'h'))) return { kind: 'help' };
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: command.positionals.length > 0 });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  if (parsed.positionals.length !== command.positionals.length) {
    const expected = command.positionals.join(' ') || 'no arguments';
    throw new UsageError(`expected ${expected}, got ${parsed.positionals.length ? parsed.positionals.map((p) => `"${p}"`).join(' ') : 'none'}`);
  }
  return { kind: 'run', values: parsed.values, positionals: parsed.positionals };
}

/** `securetask <name> --help`. */
export function commandHelp(command: Command): string {
  const rows: [string, string][] = Object.entries(command.options).map(([name, spec]) => [
    `--${name}${spec.value ? ` ${spec.value}` : ''}`,
    spec.description,
  ]);
  rows.push(['-h, --help', 'show this help and do nothing else']);
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return [
    `Usage: securetask ${usageLine(command)}`,
    '',
    command.summary,
    ...(command.details ? ['', command.details] : []),
    '',
    'Options:',
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`),
  ].join('\n');
}

/** `token --email <address> [--role ADMIN|MEMBER]`. */
export function usageLine(command: Command): string {
  return [command.name, command.synopsis].filter(Boolean).join(' ');
}
