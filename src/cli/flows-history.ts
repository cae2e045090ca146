import { isAbsolute, join } from 'node:path';
import { userInfo } from 'node:os';
import { isBootlineError } from '../errors.js';
import { FlowAdmin } from '../console/flows/service.js';
import { formatProblem, type FlowProblem } from '../voice/load.js';
import { FlowRegistry } from '../voice/registry.js';
import { flowUnreadable, readFlowText } from '../voice/flow-text.js';
import type { CliIO } from './io.js';
import { usageFailure } from './usage.js';

export const HISTORY_HELP = `       bootline flows history ID             revisions of a flow, newest first
       bootline flows diff ID [--from published] [--to draft|N|REV]
       bootline flows publish ID FILE -m MESSAGE [--author NAME]
                                             validate FILE and publish it as flow ID (a new revision)
       bootline flows rollback ID N|REV [-m MESSAGE] [--author NAME]
                                             publish an earlier revision again
`;

export interface HistoryOptions {
  readonly from?: string;
  readonly to?: string;
  readonly message?: string;
  readonly author?: string;
}

/**
 * The console's draft → publish → history, from a shell, on the same files: FLOWS_DIR (or
 * voice-flows/) and its .history/. A running web process picks a publish up through its
 * watcher (or at its next start with FLOWS_RELOAD=off).
 */
export function history(io: CliIO, sub: string, args: string[], o: HistoryOptions): number {
  const dir = join(io.cwd, io.env.FLOWS_DIR ?? 'voice-flows');
  const admin = new FlowAdmin({ flowsDir: dir, registry: FlowRegistry.fromDirectory(dir) });
  const author = { name: o.author ?? `${userInfo().username} (cli)`, role: 'cli' };
  const [id, arg] = args;
  if (!id) return usageFailure(io, `${sub} needs a flow ID`, 'flows');
  try {
    if (sub === 'history') {
      for (const r of admin.revisions(id))
        io.stdout.write(
          `${String(r.n).padStart(3)}  ${r.revision}  ${r.at}  ${r.kind.padEnd(8)} ` +
            `${r.author.name}: ${r.message} (+${r.added} -${r.removed})\n`,
        );
    } else if (sub === 'diff') {
      io.stdout.write(admin.diff(id, o.from ?? 'published', o.to ?? 'draft'));
    } else if (sub === 'publish') {
      if (!arg) return usageFailure(io, 'publish needs the FILE to publish: flows publish ID FILE -m MESSAGE', 'flows');
      // Every revision says why it was made: the history is read by the next person on call.
      if (!o.message)
        return usageFailure(io, 'publish needs -m MESSAGE: the message is required (it heads the revision)', 'flows');
      const file = isAbsolute(arg) ? arg : join(io.cwd, arg);
      const read = readFlowText(file);
      if ('problem' in read) throw flowUnreadable(file, [read.problem]);
      const text = read.text;
      const r = admin.publishText(id, text, { message: o.message, author });
      io.stdout.write(`published ${id} revision ${r.n} (${r.revision}), +${r.added} -${r.removed}\n`);
    } else {
      if (!arg) return usageFailure(io, 'rollback needs the revision to go back to (N or REV)', 'flows');
      const r = admin.rollback(id, { to: arg, author, ...(o.message ? { message: o.message } : {}) });
      io.stdout.write(`rolled ${id} back: revision ${r.n} (${r.revision}) = ${arg}\n`);
    }
    return 0;
  } catch (err) {
    if (!isBootlineError(err)) throw err;
    io.stderr.write(`${err.code}: ${err.message}\n`);
    const problems = (err.details.public as { problems?: FlowProblem[] } | undefined)?.problems ?? [];
    for (const p of problems) io.stderr.write(formatProblem(p) + '\n');
    return 1;
  }
}
