#!/usr/bin/env node
import type { CliCommand, CliIO } from './io.js';

/** Sub-commands are loaded lazily so `bootline wbxml …` never pulls in Redis or Express. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  wbxml: { summary: 'wbxml encode|decode — XML ⇄ WBXML', load: async () => (await import('./wbxml.js')).run },
  push: {
    summary: 'push build|inspect — build or dissect a Bootstrap push',
    load: async () => (await import('./push.js')).run,
  },
  call: {
    summary: 'call — place a simulated, signed call against a running bootline',
    load: async () => (await import('./call.js')).run,
  },
  flows: {
    summary: 'flows check|schema|graph|test|history|diff|publish|rollback — validate, draw and publish voice flows',
    load: async () => (await import('./flows.js')).run,
  },
  batch: {
    summary: 'batch submit FILE | status ID — bulk bootstraps from a CSV or JSON-lines file, with progress',
    load: async () => (await import('./batch.js')).run,
  },
  purge: {
    summary: 'purge [--days N] — delete bootstrap statuses and credentials older than the retention',
    load: async () => (await import('./purge.js')).run,
  },
};

function usage(io: CliIO): number {
  io.stderr.write('usage: bootline <command> [args]\n\ncommands:\n');
  for (const [name, c] of Object.entries(COMMANDS)) io.stderr.write(`  ${name.padEnd(8)} ${c.summary}\n`);
  return 2;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  const cmd = name === undefined ? undefined : COMMANDS[name];
  if (!cmd) return usage(io);
  return (await cmd.load())(rest, io);
}

const io: CliIO = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
};
if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      const e = err as { code?: string; message?: string };
      io.stderr.write(`bootline: ${e.code ? e.code + ': ' : ''}${e.message ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
