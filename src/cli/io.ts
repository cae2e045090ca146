import type { Readable, Writable } from 'node:stream';

/** What a CLI command may touch: injected so tests run commands in-process with buffers. */
export interface CliIO {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** A sub-command: gets the arguments after its name, returns the process exit code. */
export type CliCommand = (args: string[], io: CliIO) => Promise<number>;

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks);
}
