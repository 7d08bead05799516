/**
 * How long a person waits for a `securetask` command, against a running local stack. Each
 * command runs in a fresh Node process, as from a terminal, several times one after the other;
 * the figures are the wall time and the CPU time the process (and its children) used, which
 * a busy machine stretches less than the wall time.
 *
 *   npm run bench:cli                                 # 7 runs of each command
 *   npm run bench:cli -- --runs 15
 *   npm run bench:cli -- --cli ../main/bin/securetask.js   # another checkout's CLI, same stack
 *
 * It starts `securetask start` itself (bench/realtime's startLocalTarget: PORT=0, a fresh data
 * folder), so Java 17+ is needed, as for `npm start`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalTarget } from '../realtime/target.ts';
import { say } from '../say.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, cli: { type: 'string' } } });
const runs = Number(values.runs);
const cli = path.resolve(values.cli ?? path.join(projectRoot, 'bin/securetask.js'));

/** CPU seconds used by this process's finished children (Linux: /proc/self/stat cutime + cstime). */
function childrenCpuSeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // clock ticks; USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

say(`securetask CLI benchmark: ${runs} runs per command of ${cli}; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const target = await startLocalTarget({ nodeFlags: [], say });
const env = { ...process.env, SECURETASK_DATA_DIR: target.dataDir, PORT: '0', SECURETASK_LOG_LEVEL: 'silent' };
const commands: { name: string; argv: string[] }[] = [
  { name: 'securetask --help', argv: [process.execPath, cli, '--help'] },
  { name: 'securetask info', argv: [process.execPath, cli, 'info'] },
  { name: 'securetask info --json', argv: [process.execPath, cli, 'info', '--json'] },
  { name: 'securetask token --email …', argv: [process.execPath, cli, 'token', '--email', 'bench@example.com'] },
  // Through npm's npx, as the README has people type it (npx's own start-up included).
  ...(values.cli ? [] : [{ name: 'npx securetask token --email …', argv: ['npx', '--no-install', 'securetask', 'token', '--email', 'bench@example.com'] }]),
  // A second start on the folder in use: how long until it refuses (an older CLI would start instead).
  ...(values.cli ? [] : [{ name: 'securetask start (refused: in use)', argv: [process.execPath, cli, 'start'] }]),
];
const rows: string[] = [];
try {
  for (const { name, argv } of commands) {
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < runs; i++) {
      const cpuBefore = childrenCpuSeconds();
      const started = performance.now();
      const result = spawnSync(argv[0], argv.slice(1), { cwd: projectRoot, env, encoding: 'utf8' });
      walls.push((performance.now() - started) / 1000);
      const cpuAfter = childrenCpuSeconds();
      if (cpuBefore !== undefined && cpuAfter !== undefined) cpus.push(cpuAfter - cpuBefore);
      const expected = name.startsWith('securetask start') ? 1 : 0;
      if (result.status !== expected) throw new Error(`${name} exited ${result.status}: ${result.stderr}`);
    }
    const cpu = cpus.length ? `${median(cpus).toFixed(2)} s` : 'n/a';
    rows.push(`| \`${name}\` | ${median(walls).toFixed(2)} s | ${Math.max(...walls).toFixed(2)} s | ${cpu} |`);
    say(rows.at(-1)!);
  }
} finally {
  await target.stop();
}
console.log(`\n${runs} runs each; load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
console.log('| command | wall, median | wall, max | CPU, median |');
console.log('|---|---|---|---|');
for (const row of rows) console.log(row);
