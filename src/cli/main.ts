#!/usr/bin/env node
import { nearest } from '../platform/suggest.js';
import type { CliCommand, CliIO } from './io.js';
import { usageFailure } from './usage.js';

interface Command {
  readonly summary: string;
  /** The sub-command and its usage text (what --help prints). */
  load(): Promise<{ run: CliCommand; usage: string }>;
}

/** Sub-commands are loaded lazily so `bootline wbxml …` never pulls in Redis or Express. */
const COMMANDS: Record<string, Command> = {
  wbxml: {
    summary: 'wbxml encode|decode — XML ⇄ WBXML',
    load: async () => import('./wbxml.js').then((m) => ({ run: m.run, usage: m.USAGE })),
  },
  push: {
    summary: 'push build|inspect|profile — build or dissect a Bootstrap push',
    load: async () => import('./push.js').then((m) => ({ run: m.run, usage: m.PUSH_USAGE })),
  },
  call: {
    summary: 'call — place a simulated, signed call against a running bootline',
    load: async () => import('./call.js').then((m) => ({ run: m.run, usage: m.HELP })),
  },
  flows: {
    summary: 'flows check|schema|graph|test|history|diff|publish|rollback — validate, draw and publish voice flows',
    load: async () => import('./flows.js').then((m) => ({ run: m.run, usage: m.HELP })),
  },
  batch: {
    summary: 'batch submit FILE | status ID — bulk bootstraps from a CSV or JSON-lines file, with progress',
    load: async () => import('./batch.js').then((m) => ({ run: m.run, usage: m.HELP })),
  },
  purge: {
    summary: 'purge [--days N] — delete bootstrap statuses and credentials older than the retention',
    load: async () => import('./purge.js').then((m) => ({ run: m.run, usage: m.HELP })),
  },
};

export const USAGE =
  'usage: bootline <command> [args]     (bootline <command> --help for its usage)\n\ncommands:\n' +
  Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}\n`)
    .join('');

const withNewline = (s: string) => (s.endsWith('\n') ? s : s + '\n');

/** -h or --help anywhere before a `--` asks for usage, at every level (`bootline push build -h`). */
const wantsHelp = (args: readonly string[]) => {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '-h' || a === '--help');
};

const isParseArgsError = (err: unknown) =>
  typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('ERR_PARSE_ARGS');

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '-h' || name === '--help' || (name === 'help' && rest.length === 0)) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (name === 'help') return main([rest[0]!, '--help'], io);
  if (name === undefined) {
    io.stderr.write(USAGE);
    return usageFailure(io, 'a command is required');
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    const near = nearest(name, Object.keys(COMMANDS));
    return usageFailure(io, `unknown command "${name}"${near ? ` (did you mean "${near}"?)` : ''}`);
  }
  const { run, usage } = await cmd.load();
  if (wantsHelp(rest)) {
    io.stdout.write(withNewline(usage));
    return 0;
  }
  try {
    return await run(rest, io);
  } catch (err) {
    // node:util parseArgs: an unknown option, a missing option value, a stray positional.
    if (isParseArgsError(err)) return usageFailure(io, (err as Error).message, name);
    throw err;
  }
}

/**
 * The process around `main`: the exit code, one line for an unexpected error, and a quiet exit
 * when whoever reads stdout goes away (`bootline flows history | head -1`: EPIPE is the reader's
 * choice, not a failure worth a stack trace).
 */
function runAsProcess(): void {
  const io: CliIO = {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  };
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  main(process.argv.slice(2), io).then(
    // Exit when the command is done, whatever connection it left retrying (stdout and stderr
    // are synchronous for files, pipes and terminals on Linux: nothing written is lost).
    (code) => process.exit(code),
    (err: unknown) => {
      const e = err as { code?: string; message?: string };
      io.stderr.write(`bootline: ${e.code ? e.code + ': ' : ''}${e.message ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

if (import.meta.url === `file://${process.argv[1]}`) runAsProcess();
