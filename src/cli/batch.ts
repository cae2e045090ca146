import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { extname, isAbsolute, join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { CliCommand, CliIO } from './io.js';
import { usageFailure } from './usage.js';

export const HELP = `usage: bootline batch submit FILE [--sec SEC] [--profile cp|dm] [--reject-invalid] [--no-wait]
       bootline batch status ID [--watch]
  common: [--url URL] [--token TOKEN]

submit streams FILE (.csv with a header line: msisdn[,pin,sec,profile,imei,reference], or
.jsonl/.ndjson with one JSON object per line) to POST /api/batches, prints the report of bad
rows (row and line numbers; nothing is pushed for them), then follows the pushes with a
progress bar until every row is final (--no-wait: return at once). status prints a batch's
counts; --watch follows it.

  --url    bootline's base URL (default $BOOTLINE_URL, else http://localhost:$PORT or :3000)
  --token  a pos or operator API token (default $BOOTLINE_TOKEN, else the dev stack's .data/dev-api-token)
`;

interface Batch {
  id: string;
  phase: string;
  rows: { total: number; valid: number; invalid: number };
  counts: Record<string, number>;
  progress: { asked: number; sent: number; final: number };
}

function target(io: CliIO, v: { url?: string | undefined; token?: string | undefined }) {
  const url = (v.url ?? io.env.BOOTLINE_URL ?? `http://localhost:${io.env.PORT ?? 3000}`).replace(/\/+$/, '');
  const devToken = join(io.env.BOOTLINE_DATA_DIR ?? join(io.cwd, '.data'), 'dev-api-token');
  const token = v.token ?? io.env.BOOTLINE_TOKEN ?? (existsSync(devToken) ? readFileSync(devToken, 'utf8').trim() : '');
  if (!token) throw new Error('no API token: pass --token, set BOOTLINE_TOKEN, or start the dev stack (npm start)');
  return { url, headers: { authorization: `Bearer ${token}` } };
}

async function answer(res: Response): Promise<Record<string, unknown>> {
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok && res.status !== 422) {
    const e = (body.error ?? {}) as { code?: string; message?: string };
    throw Object.assign(new Error(e.message ?? `HTTP ${res.status}`), { code: e.code ?? `HTTP_${res.status}` });
  }
  return body;
}

const line = (b: Batch) =>
  `${b.id} ${b.phase}: ${b.rows.valid} rows to push (${b.rows.invalid} invalid) · ` +
  ['pending', 'queued', 'submitted', 'delivered', 'failed', 'expired', 'refused']
    .map((s) => `${s} ${b.counts[s] ?? 0}`)
    .join(', ');

/** Follows a batch with a bar of its final rows until it is done. */
async function follow(io: CliIO, t: ReturnType<typeof target>, id: string, everyMs: number): Promise<Batch> {
  const bar = new cliProgress.SingleBar(
    {
      format:
        'pushes |{bar}| {percentage}% | {value}/{total} final | ' +
        'delivered {delivered} failed {failed} refused {refused}',
      stream: io.stdout as NodeJS.WritableStream,
      noTTYOutput: true,
      notTTYSchedule: 1_000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let b = (await answer(await fetch(`${t.url}/api/batches/${id}`, { headers: t.headers }))) as unknown as Batch;
  const values = (x: Batch) => ({ delivered: x.counts.delivered, failed: x.counts.failed, refused: x.counts.refused });
  const finals = (x: Batch) => Math.round(x.progress.final * x.rows.valid);
  bar.start(b.rows.valid, finals(b), values(b));
  while (b.phase !== 'done') {
    await new Promise((r) => setTimeout(r, everyMs));
    b = (await answer(await fetch(`${t.url}/api/batches/${id}`, { headers: t.headers }))) as unknown as Batch;
    bar.update(finals(b), values(b));
  }
  bar.stop();
  return b;
}

async function submit(io: CliIO, file: string, v: Record<string, string | boolean | undefined>): Promise<number> {
  const path = isAbsolute(file) ? file : join(io.cwd, file);
  const type = extname(path).toLowerCase() === '.csv' ? 'text/csv' : 'application/x-ndjson';
  const t = target(io, v as { url?: string; token?: string });
  const query = new URLSearchParams({
    ...(v.sec ? { sec: String(v.sec) } : {}),
    ...(v.profile ? { profile: String(v.profile) } : {}),
    ...(v['reject-invalid'] ? { onInvalid: 'reject' } : {}),
  });
  // Streamed from the file as it is sent: never read whole here either.
  const res = await fetch(`${t.url}/api/batches${query.size ? `?${query}` : ''}`, {
    method: 'POST',
    headers: { ...t.headers, 'content-type': type },
    body: Readable.toWeb(createReadStream(path)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const r = (await answer(res)) as {
    batchId: string;
    phase: string;
    rows: number;
    valid: number;
    invalid: number;
    errors: Array<{ row: number; line: number; error: string }>;
  };
  io.stdout.write(`batch ${r.batchId}: ${r.rows} rows, ${r.valid} valid, ${r.invalid} invalid (${r.phase})\n`);
  for (const e of r.errors) io.stdout.write(`  row ${e.row} (line ${e.line}): ${e.error}\n`);
  if (r.invalid > r.errors.length)
    io.stdout.write(`  … every invalid row: GET /api/batches/${r.batchId}/rows?state=invalid\n`);
  if (res.status === 422) {
    io.stderr.write('bootline batch: rejected (--reject-invalid): nothing was pushed\n');
    return 1;
  }
  if (v['no-wait'] || r.phase === 'done') return 0;
  io.stdout.write(line(await follow(io, t, r.batchId, Number(io.env.BOOTLINE_POLL_MS ?? 1_000))) + '\n');
  return 0;
}

export const run: CliCommand = async (args, io) => {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      sec: { type: 'string' },
      profile: { type: 'string' },
      'reject-invalid': { type: 'boolean' },
      'no-wait': { type: 'boolean' },
      watch: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [sub, arg] = positionals;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (!sub || !['submit', 'status'].includes(sub))
    return usageFailure(
      io,
      sub ? `unknown sub-command "${sub}"` : 'a sub-command is required (submit, status)',
      'batch',
    );
  if (!arg) return usageFailure(io, sub === 'submit' ? 'submit needs a FILE' : 'status needs a batch ID', 'batch');
  if (sub === 'submit') return submit(io, arg, values);
  const t = target(io, values);
  const b = values.watch
    ? await follow(io, t, arg, Number(io.env.BOOTLINE_POLL_MS ?? 1_000))
    : ((await answer(await fetch(`${t.url}/api/batches/${arg}`, { headers: t.headers }))) as unknown as Batch);
  io.stdout.write(line(b) + '\n');
  return 0;
};
