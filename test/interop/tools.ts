/** Runs the Debian tools the interop tests compare against; a missing tool fails loudly, naming its package. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PACKAGES: Record<string, string> = {
  wbxml2xml: 'libwbxml2-utils',
  xml2wbxml: 'libwbxml2-utils',
  tshark: 'tshark',
  text2pcap: 'wireshark-common (pulled in by tshark)',
};

export function tool(
  bin: string,
  args: string[],
  input?: Uint8Array,
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(bin, args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(
      `${bin} is not installed: apt-get install -y ${PACKAGES[bin] ?? bin} (CI installs it via src/tooling/run-tests.mjs)`,
    );
  }
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `bootline-${prefix}-`));
}

export function writeTemp(dir: string, name: string, data: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}
