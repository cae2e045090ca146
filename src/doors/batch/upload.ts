import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { BootlineError } from '../../errors.js';
import type { DestinationPolicy } from '../../policy/destination.js';
import type { BootstrapIntake, Profile, SecMethod } from '../intake.js';
import { checkRow, ROW_COLUMNS } from './rows.js';
import { CHUNK, type BatchStore, type UploadRow } from './store.js';

export const MAX_ROWS = 100_000;
/** Generous for 100,000 rows with every column filled; the body is never held whole anyway. */
const MAX_BYTES = 32 * 1024 * 1024;
const REPORTED = 20;

export type BatchFormat = 'csv' | 'jsonl';

/** The media types a batch upload may have: CSV, and the names JSON lines goes by. */
export const BATCH_MEDIA_TYPES = {
  csv: ['text/csv'],
  jsonl: ['application/x-ndjson', 'application/jsonl', 'application/jsonlines', 'application/x-jsonlines'],
} as const;

export function formatOf(contentType: string | undefined): BatchFormat {
  const t = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if ((BATCH_MEDIA_TYPES.csv as readonly string[]).includes(t)) return 'csv';
  if ((BATCH_MEDIA_TYPES.jsonl as readonly string[]).includes(t)) return 'jsonl';
  throw new BootlineError(
    'UNSUPPORTED_MEDIA_TYPE',
    'send text/csv (a header line, then one row per line) or application/x-ndjson (one JSON object per line), ' +
      `not ${t || 'nothing'}`,
  );
}

export interface UploadSummary {
  readonly rows: number;
  readonly valid: number;
  readonly invalid: number;
  /** The first invalid rows; GET /api/batches/{id}/rows?state=invalid has every one. */
  readonly errors: ReadonlyArray<{ row: number; line: number; error: string }>;
}

/** A record as read: the line it ends on, and its fields or why it has none. */
type Raw = { readonly line: number; readonly fields: Record<string, unknown> | string };

/** Counts bytes as they pass and stops the stream past the limit. */
function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) done(new BootlineError('PAYLOAD_TOO_LARGE', `a batch file may be at most ${max} bytes`));
      else done(null, chunk);
    },
  });
}

/** CSV records (csv-parse, RFC 4180) → Raw: the header names the columns; a short or long row is a bad row. */
function csvRows(): Transform {
  let header: string[] | null = null;
  return new Transform({
    objectMode: true,
    transform({ record, info }: { record: string[]; info: { lines: number } }, _enc, done) {
      if (header) {
        done(
          null,
          record.length !== header.length
            ? { line: info.lines, fields: `${record.length} fields where the header has ${header.length}` }
            : { line: info.lines, fields: Object.fromEntries(header.map((c, i) => [c, record[i]])) },
        );
        return;
      }
      header = record.map((c) => c.toLowerCase());
      const unknown = header.filter((c) => !(ROW_COLUMNS as readonly string[]).includes(c));
      if (!header.includes('msisdn') || unknown.length || new Set(header).size !== header.length) {
        done(
          new BootlineError(
            'BAD_REQUEST',
            `the header line must name the columns, msisdn among them, each once, from: ${ROW_COLUMNS.join(', ')}` +
              (unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''),
          ),
        );
        return;
      }
      done();
    },
  });
}

/** JSON lines → Raw: one object per line; blank lines are skipped, anything else is a bad row. */
function jsonlRows(): Transform {
  let line = 0;
  let rest = '';
  const one = (text: string): Raw | null => {
    line++;
    if (text.trim() === '') return null;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      return { line, fields: 'not JSON' };
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { line, fields: 'not a JSON object' };
    return {
      line,
      fields: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'number' ? String(x) : x])),
    };
  };
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, done) {
      const lines = (rest + chunk.toString('utf8')).split(/\r?\n/);
      rest = lines.pop() ?? '';
      for (const l of lines) {
        const r = one(l);
        if (r) this.push(r);
      }
      done();
    },
    flush(done) {
      const r = rest ? one(rest) : null;
      if (r) this.push(r);
      done();
    },
  });
}

/**
 * Reads a batch file as a stream, never whole: csv-parse (or a line splitter) feeds a sink
 * that checks each row (checkRow) and stores them a chunk of 500 at a time before more are
 * read — backpressure keeps memory flat in the file's size.
 * Every bad row is recorded with its row and line number and nothing is pushed for it. Past
 * 100,000 rows (or the byte limit) the upload stops; the caller removes what it stored.
 */
export async function readBatch(
  deps: {
    readonly store: BatchStore;
    readonly intake: Pick<BootstrapIntake, 'supports' | 'defaults'>;
    readonly destination: DestinationPolicy;
  },
  o: {
    readonly id: string;
    readonly body: Readable;
    readonly format: BatchFormat;
    readonly defaults: { profile?: Profile; sec?: SecMethod };
  },
): Promise<UploadSummary> {
  let rows = 0;
  let invalid = 0;
  const errors: Array<{ row: number; line: number; error: string }> = [];
  const store = async (raws: readonly Raw[]) => {
    const chunk = raws.map((rec): UploadRow => {
      const row = ++rows;
      if (row > MAX_ROWS) throw new BootlineError('BATCH_TOO_LARGE', `a batch may have at most ${MAX_ROWS} rows`);
      const check =
        typeof rec.fields === 'string'
          ? ({ ok: false, error: rec.fields } as const)
          : checkRow(rec.fields, { defaults: o.defaults, intake: deps.intake, destination: deps.destination });
      return check.ok
        ? { row, line: rec.line, ok: true, data: check.row }
        : { row, line: rec.line, ok: false, error: check.error };
    });
    for (const r of await deps.store.writeChunk(o.id, chunk)) {
      if (r.ok) continue;
      invalid++;
      if (errors.length < REPORTED) errors.push({ row: r.row, line: r.line, error: r.error });
    }
  };
  // Rows are stored in whole chunks of CHUNK (row numbers CHUNK·k+1 …): collect, then store.
  let held: Raw[] = [];
  const take = async (more: readonly Raw[], last = false) => {
    held.push(...more);
    while (held.length >= CHUNK || (last && held.length)) {
      const next = held.slice(0, CHUNK);
      held = held.slice(CHUNK);
      await store(next);
    }
  };
  const sink = new Writable({
    objectMode: true,
    highWaterMark: CHUNK,
    writev(chunks, done) {
      take(chunks.map((c) => c.chunk as Raw)).then(() => done(), done);
    },
    write(chunk: Raw, _enc, done) {
      take([chunk]).then(() => done(), done);
    },
    final(done) {
      take([], true).then(() => done(), done);
    },
  });
  const parser =
    o.format === 'csv'
      ? [parse({ bom: true, trim: true, skip_empty_lines: true, info: true, relax_column_count: true }), csvRows()]
      : [jsonlRows()];
  try {
    await pipeline(o.body, byteLimit(MAX_BYTES), ...(parser as [Transform]), sink);
  } catch (err) {
    if (err instanceof BootlineError) throw err;
    throw new BootlineError('BAD_REQUEST', `the file cannot be read: ${(err as Error).message}`);
  }
  return { rows, valid: rows - invalid, invalid, errors };
}
