/**
 * `bootline wbxml encode|decode` — XML ⇄ WBXML for handset interop debugging.
 *
 *   bootline wbxml encode [FILE|-] [--out FILE] [--hex] [--version 1|2|3] [--string-table]
 *                         [--language PROV10|SYNCML12|DMDDF12] [--tnds inline|opaque]
 *   bootline wbxml decode [FILE|-] [--out FILE] [--language …] [--escape]   (binary or hex text input)
 *        --escape: write characters XML 1.0 forbids as \uXXXX instead of refusing (XML_FORBIDDEN_CHAR)
 */
import { parseArgs } from 'node:util';
import { decodeWbxml, encodeWbxml, type WbxmlVersion } from '../codec/index.js';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isBootlineError } from '../errors.js';
import { readAll, type CliCommand, type CliIO } from './io.js';

export const USAGE = `usage: bootline wbxml encode [FILE|-] [--out FILE] [--hex] [--version 1|2|3] [--string-table]
                            [--language PROV10|SYNCML12|DMDDF12] [--tnds inline|opaque]
       bootline wbxml decode [FILE|-] [--out FILE] [--language PROV10|SYNCML12|DMDDF12] [--escape]
`;

async function encode(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      hex: { type: 'boolean' },
      version: { type: 'string', short: 'v' },
      'string-table': { type: 'boolean' },
      language: { type: 'string', short: 'l' },
      tnds: { type: 'string' },
    },
  });
  const version = values.version === undefined ? undefined : Number(values.version.replace(/^1\./, ''));
  if (version !== undefined && ![1, 2, 3].includes(version))
    return usageError(io, USAGE, `--version ${values.version} is not 1, 2 or 3 (1.1-1.3)`);
  if (values.tnds !== undefined && values.tnds !== 'inline' && values.tnds !== 'opaque')
    return usageError(io, USAGE, '--tnds is inline or opaque');
  const xml = (await readInput(io, positionals[0])).toString('utf8');
  const bytes = encodeWbxml(xml, {
    ...(version === undefined ? {} : { version: version as WbxmlVersion }),
    stringTable: values['string-table'] ?? false,
    ...(values.language ? { language: values.language } : {}),
    ...(values.tnds ? { tnds: values.tnds as 'inline' | 'opaque' } : {}),
  });
  await writeOutput(
    io,
    values.out,
    values.hex ? Buffer.from(Buffer.from(bytes).toString('hex').toUpperCase() + '\n') : bytes,
  );
  return 0;
}

async function decode(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      language: { type: 'string', short: 'l' },
      escape: { type: 'boolean' },
    },
  });
  const bytes = maybeHex(await readInput(io, positionals[0]));
  const decoded = decodeWbxml(bytes, {
    ...(values.language ? { language: values.language } : {}),
    ...(values.escape ? { forbiddenChars: 'escape' as const } : {}),
  });
  if (decoded.escapedChars > 0)
    io.stderr.write(`bootline: ${decoded.escapedChars} character(s) XML 1.0 forbids, written as \\uXXXX\n`);
  await writeOutput(io, values.out, Buffer.from(decoded.xml));
  return 0;
}

export const run: CliCommand = async (args, io) => {
  const [sub, ...rest] = args;
  try {
    if (sub === 'encode') return await encode(rest, io);
    if (sub === 'decode') return await decode(rest, io);
    return usageError(
      io,
      USAGE,
      sub === undefined ? 'a sub-command is required (encode, decode)' : `unknown sub-command "${sub}"`,
    );
  } catch (err) {
    return fail(io, err, USAGE);
  }
};

// --- plumbing shared with push.ts (the CLI files are the only codec files that do I/O) ---
/** FILE (relative to io.cwd) or stdin when absent or "-". */
export async function readInput(io: CliIO, file: string | undefined): Promise<Buffer> {
  return file === undefined || file === '-' ? readAll(io.stdin) : readFile(resolve(io.cwd, file));
}

export async function writeOutput(io: CliIO, file: string | undefined, data: Uint8Array): Promise<void> {
  if (file === undefined || file === '-') io.stdout.write(data);
  else await writeFile(resolve(io.cwd, file), data);
}

const HEX_TEXT = /^[\s0-9A-Fa-f]*$/;

/** Input that is entirely hex digits and whitespace is hex text (binary WBXML starts 0x01–0x03). */
export function maybeHex(input: Buffer): Buffer {
  const s = input.toString('latin1');
  if (s.trim() === '' || !HEX_TEXT.test(s)) return input;
  return parseHex(s);
}

export function parseHex(s: string): Buffer {
  const clean = s.replace(/\s+/g, '');
  if (!/^([0-9A-Fa-f]{2})*$/.test(clean))
    throw new Error('hex input has an odd number of digits or a non-hex character');
  return Buffer.from(clean, 'hex');
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}

export function usageError(io: CliIO, usage: string, message?: string): number {
  if (message) io.stderr.write(`bootline: ${message}\n`);
  io.stderr.write(usage);
  return 2;
}

/** Coded errors print as `bootline: CODE: message`; argument errors also print the usage. */
export function fail(io: CliIO, err: unknown, usage: string): number {
  if (isBootlineError(err)) {
    io.stderr.write(`bootline: ${err.code}: ${err.message}\n`);
    return 1;
  }
  const e = err as { code?: string; message?: string };
  if (typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) return usageError(io, usage, e.message);
  io.stderr.write(`bootline: ${e.message ?? String(err)}\n`);
  return 1;
}
