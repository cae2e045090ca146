import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { repoRoot } from './paths.js';

/** Runs `bootline flows <args>` in this process with captured output (default: no env, from the repository root). */
export async function flowsCli(
  args: string[],
  run: { env?: Record<string, string>; cwd?: string } = {},
): Promise<{ code: number; out: string; err: string }> {
  const [out, err] = [new PassThrough(), new PassThrough()];
  let [o, e] = ['', ''];
  out.on('data', (d: Buffer) => {
    o += d.toString();
  });
  err.on('data', (d: Buffer) => {
    e += d.toString();
  });
  const code = await main(['flows', ...args], {
    stdin: new PassThrough(),
    stdout: out,
    stderr: err,
    env: run.env ?? {},
    cwd: run.cwd ?? repoRoot,
  });
  return { code, out: o, err: e };
}

/** Runs `bootline <args>` in this process with captured output (default: no env, from the repository root). */
export async function bootline(
  args: string[],
  env: Record<string, string> = {},
  cwd = repoRoot,
): Promise<{ code: number; out: string; err: string }> {
  const [out, err] = [new PassThrough(), new PassThrough()];
  let [o, e] = ['', ''];
  out.on('data', (d: Buffer) => {
    o += d.toString();
  });
  err.on('data', (d: Buffer) => {
    e += d.toString();
  });
  const code = await main(args, { stdin: new PassThrough(), stdout: out, stderr: err, env, cwd });
  return { code, out: o, err: e };
}
