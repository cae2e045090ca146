import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Finds a digit secret (a PIN, a phone number) in any form a prompt can carry it: unbroken,
 * spaced ("4 1 8, 2 7 3"), grouped in twos or threes ("418 273", "07 40 01 23 45 6"),
 * comma-separated, as "+44 7400 123456", or cut into SSML `<say-as>` groups with `<break>`s
 * between them. Digit runs a reader would join (only spaces, punctuation or XML tags between
 * them) are joined; a run inside a longer word (a hex id, a base64 blob, a timestamp) is not a
 * run of its own, so random data does not match by chance.
 */
export function carries(text: string, secret: string): boolean {
  return joinedRuns(text).some((runs) => containsSequence(runs, secret));
}

const SEPARATOR = /^(?:[\s,.;:+()\-/]|&nbsp;|<[^<>]{0,120}>)*$/;

function joinedRuns(text: string): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let lastEnd = -1;
  for (const m of text.matchAll(/\d+/g)) {
    const start = m.index;
    const end = start + m[0].length;
    const before = text[start - 1] ?? ' ';
    const after = text[end] ?? ' ';
    const clean = !/[A-Za-z_]/.test(before) && !/[A-Za-z_]/.test(after);
    if (!clean) {
      if (current.length) out.push(current);
      current = [];
      lastEnd = -1;
      continue;
    }
    if (current.length && lastEnd >= 0 && SEPARATOR.test(text.slice(lastEnd, start))) current.push(m[0]);
    else {
      if (current.length) out.push(current);
      current = [m[0]];
    }
    lastEnd = end;
  }
  if (current.length) out.push(current);
  return out;
}

/** Whether some consecutive runs, joined, are exactly the secret. */
function containsSequence(runs: readonly string[], secret: string): boolean {
  for (let i = 0; i < runs.length; i++) {
    let joined = '';
    for (let j = i; j < runs.length && joined.length < secret.length; j++) {
      joined += runs[j];
      if (joined === secret) return true;
    }
  }
  return false;
}

/** One write in Redis's append-only file: the command and its arguments, as sent. */
export interface AofCommand {
  readonly args: readonly string[];
}

/**
 * Every command in a Redis 7 append-only directory (`appendonlydir/*.aof`, RESP arrays of
 * bulk strings, the multi-part AOF of Redis 7.0). The base file is an RDB preamble: its
 * raw text is returned as one pseudo-command so it is searched too.
 */
export function readAof(redisDir: string): AofCommand[] {
  const dir = join(redisDir, 'appendonlydir');
  const out: AofCommand[] = [];
  for (const name of readdirSync(dir).sort()) {
    const raw = readFileSync(join(dir, name));
    if (!name.endsWith('.aof')) {
      out.push({ args: ['(rdb)', raw.toString('latin1')] });
      continue;
    }
    out.push(...parseResp(raw));
  }
  return out;
}

function parseResp(buf: Buffer): AofCommand[] {
  const out: AofCommand[] = [];
  let at = 0;
  const line = () => {
    const end = buf.indexOf('\r\n', at);
    if (end < 0) throw new Error(`AOF truncated at ${at}`);
    const s = buf.toString('latin1', at, end);
    at = end + 2;
    return s;
  };
  while (at < buf.length) {
    const head = line();
    if (!head.startsWith('*')) throw new Error(`AOF: expected an array at ${at}, got ${head.slice(0, 20)}`);
    const args: string[] = [];
    for (let n = Number(head.slice(1)); n > 0; n--) {
      const len = Number(line().slice(1));
      args.push(buf.toString('utf8', at, at + len));
      at += len + 2;
    }
    out.push({ args });
  }
  return out;
}
