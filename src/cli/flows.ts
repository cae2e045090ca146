import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parseArgs } from 'node:util';
import { isBootlineError } from '../errors.js';
import { writeFileSync } from 'node:fs';
import { history, HISTORY_HELP } from './flows-history.js';
import { flowsTest, TEST_HELP } from './flows-test.js';
import { DIAGRAM_FORMATS, flowPicture, type DiagramFormat } from '../console/flows/picture.js';
import { flowJsonSchemaText } from '../voice/json-schema.js';
import { formatProblem, loadFlowFile, type FlowProblem } from '../voice/load.js';
import { problemText } from './code-frame.js';
import type { CliCommand, CliIO } from './io.js';
import { usageFailure } from './usage.js';
import { nearest } from '../platform/suggest.js';

const SUBS = ['check', 'schema', 'graph', 'test', 'history', 'diff', 'publish', 'rollback'];

export const HELP = `usage: bootline flows check [FILE|DIR ...]   validate flow files ($FLOWS_DIR or voice-flows/)
       bootline flows schema                 print the flow JSON Schema (voice-flows/flow.schema.json)
       bootline flows graph FLOW [--format svg|png|mermaid] [-o FILE]
                                             draw a flow (an id in $FLOWS_DIR, or a file): steps,
                                             branches, no-input/invalid/max-attempts edges, agent exits
                                             (ELK layout; PNG needs -o FILE)
${HISTORY_HELP}
${TEST_HELP}
check prints one line per problem, "file:line path: message", and exits 1 if any file is
invalid; duplicate flow ids across the files checked together are refused too.
`;

function flowFiles(io: CliIO, args: string[]): string[] {
  const targets = args.length ? args : [io.env.FLOWS_DIR ?? 'voice-flows'];
  return targets.flatMap((t) => {
    const p = isAbsolute(t) ? t : join(io.cwd, t);
    if (!existsSync(p) || !statSync(p).isDirectory()) return [p];
    return readdirSync(p)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => join(p, f));
  });
}

function check(io: CliIO, args: string[]): number {
  const problems: FlowProblem[] = [];
  const ids = new Map<string, string>();
  const files = flowFiles(io, args);
  for (const file of files) {
    if (!existsSync(file)) {
      problems.push({ file, line: 1, path: '', message: 'no such file' });
      continue;
    }
    try {
      const flow = loadFlowFile(file);
      const other = ids.get(flow.id);
      if (other) problems.push({ file, line: 1, path: 'id', message: `flow id "${flow.id}" is also used by ${other}` });
      else ids.set(flow.id, file);
      io.stdout.write(
        `ok   ${file} (flow ${flow.id} v${flow.version}, ` +
          `revision ${flow.revision}, ${Object.keys(flow.steps).length} steps)\n`,
      );
    } catch (err) {
      if (!isBootlineError(err, 'FLOW_INVALID')) throw err;
      problems.push(...(err.details.problems as FlowProblem[]));
      io.stdout.write(`FAIL ${file}\n`);
    }
  }
  for (const p of problems) io.stderr.write(problemText(p) + '\n');
  if (files.length === 0) {
    io.stderr.write('no flow files found\n');
    return 1;
  }
  return problems.length ? 1 : 0;
}

/** `graph FLOW`: FLOW is a file path, or a flow id looked up in the flows folder. */
async function graph(io: CliIO, args: string[], format: string, out: string | undefined): Promise<number> {
  const [target] = args;
  if (!target) return usageFailure(io, 'graph needs a flow id or file', 'flows');
  if (!DIAGRAM_FORMATS.includes(format as DiagramFormat))
    return usageFailure(io, `--format is one of ${DIAGRAM_FORMATS.join(', ')}, not "${format}"`, 'flows');
  const asFile = isAbsolute(target) ? target : join(io.cwd, target);
  const file =
    existsSync(asFile) && statSync(asFile).isFile()
      ? asFile
      : flowFiles(io, []).find((f) => {
          try {
            return loadFlowFile(f).id === target;
          } catch {
            return false;
          }
        });
  if (!file) {
    io.stderr.write(`no flow file or valid flow with id "${target}"\n`);
    return 1;
  }
  try {
    const flow = loadFlowFile(file);
    const text = readFileSync(file, 'utf8');
    const picture = await flowPicture(flow.id, text, format as DiagramFormat);
    if (out) writeFileSync(isAbsolute(out) ? out : join(io.cwd, out), picture.body);
    else if (format === 'png') {
      io.stderr.write('a PNG is binary: write it to a file with -o FILE\n');
      return 2;
    } else io.stdout.write(picture.body);
    return 0;
  } catch (err) {
    if (isBootlineError(err, 'BAD_REQUEST')) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    if (!isBootlineError(err, 'FLOW_INVALID')) throw err;
    for (const p of err.details.problems as FlowProblem[]) io.stderr.write(formatProblem(p) + '\n');
    return 1;
  }
}

export const run: CliCommand = async (args, io) => {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      format: { type: 'string', default: 'svg' },
      out: { type: 'string', short: 'o' },
      from: { type: 'string' },
      to: { type: 'string' },
      message: { type: 'string', short: 'm' },
      author: { type: 'string' },
    },
  });
  const [sub, ...rest] = positionals;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (!sub) return usageFailure(io, 'a sub-command is required (check, schema, graph, test, history, …)', 'flows');
  if (sub === 'check') return check(io, rest);
  if (sub === 'test') return await flowsTest(io, rest);
  if (sub === 'graph') return await graph(io, rest, values.format ?? 'svg', values.out);
  if (['history', 'diff', 'publish', 'rollback'].includes(sub)) {
    return history(io, sub, rest, {
      ...(values.from ? { from: values.from } : {}),
      ...(values.to ? { to: values.to } : {}),
      ...(values.message ? { message: values.message } : {}),
      ...(values.author ? { author: values.author } : {}),
    });
  }
  if (sub === 'schema') {
    io.stdout.write(flowJsonSchemaText());
    return 0;
  }
  const near = nearest(sub, SUBS);
  return usageFailure(io, `unknown sub-command "${sub}"${near ? ` (did you mean "${near}"?)` : ''}`, 'flows');
};
