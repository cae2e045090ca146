#!/usr/bin/env node
// The Debian packages bootline's commands need beside Node (redis-server for `npm start`; that
// and wbxml2xml, tshark, chromium for `npm test`), set up the same way for every command: when
// a tool is missing and this runs as root with apt-get (CI, a fresh Debian box or container) the
// packages are installed; otherwise the exact command to run is printed.
// Plain JavaScript with no dependencies: it runs before anything is installed.
//
//   node src/tooling/system-packages.mjs --for "npm start" redis-server[=BINARY] …
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Whether `bin` is on the PATH of `env`. */
export function has(bin, env = process.env) {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore', env }).status === 0;
}

/**
 * Makes sure every binary of `tools` (Debian package → binary it provides) is on the PATH.
 * Returns the packages still missing afterwards (an empty list: all there).
 */
export function ensureDebianPackages(tools, { purpose, env = process.env, uid = process.getuid?.() } = {}) {
  const missingNow = () =>
    Object.entries(tools)
      .filter(([, bin]) => !has(bin, env))
      .map(([pkg]) => pkg);
  const missing = missingNow();
  if (missing.length === 0) return [];
  if (uid === 0 && has('apt-get', env)) {
    console.error(`bootline: installing Debian packages ${purpose} needs: ${missing.join(' ')}`);
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env: aptEnv });
    spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: aptEnv });
    const still = missingNow();
    if (still.length > 0) console.error(`bootline: apt-get did not install: ${still.join(' ')}`);
    return still;
  }
  console.error(
    `bootline: ${purpose} needs these Debian packages: ${missing.join(' ')}\n` +
      `  sudo apt-get install -y ${missing.join(' ')}`,
  );
  return missing;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--for');
  const purpose = at >= 0 ? args.splice(at, 2)[1] : 'bootline';
  const tools = Object.fromEntries(args.map((a) => [a.split('=')[0], a.split('=')[1] ?? a.split('=')[0]]));
  process.exit(ensureDebianPackages(tools, { purpose }).length === 0 ? 0 : 1);
}
