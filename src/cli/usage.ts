import type { CliIO } from './io.js';

/** Wrong usage: the reason on stderr, where to read more, exit 2 (the convention of POSIX utilities). */
export function usageFailure(io: CliIO, reason: string, command?: string): number {
  const who = command ? `bootline ${command}` : 'bootline';
  io.stderr.write(`${who}: ${reason}\nrun "${who} --help" for usage\n`);
  return 2;
}
