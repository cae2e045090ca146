// Docs that cannot rot: every Markdown table parses as a table, every relative link resolves, and the
// README stays a short front door that opens with the two Quickstart commands.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? markdownFiles(p) : f.endsWith('.md') ? [p] : [];
  });
}
const FILES = [join(repoRoot, 'README.md'), ...markdownFiles(join(repoRoot, 'docs'))];

/** Lines outside fenced code blocks, with their 1-based numbers. */
function prose(text: string): Array<{ n: number; line: string }> {
  let fenced = false;
  return text.split('\n').flatMap((line, i) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return [];
    }
    return fenced ? [] : [{ n: i + 1, line }];
  });
}

/** Cells of a table row: split on pipes that are not escaped and not inside `code`. */
function cells(row: string): string[] {
  const out: string[] = [];
  let cur = '';
  let code = false;
  const body = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && body[i + 1] === '|') {
      cur += '\\|';
      i++;
    } else if (c === '`') {
      code = !code;
      cur += c;
    } else if (c === '|' && !code) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Problems of every table in a file: header, delimiter row with the same count, no row of another width. */
function tableProblems(text: string): string[] {
  const lines = prose(text);
  const problems: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const { n, line } = lines[i]!;
    if (!line.trimStart().startsWith('|')) continue;
    const prev = lines[i - 1];
    if (prev && prev.n === n - 1 && prev.line.trimStart().startsWith('|')) continue; // inside a table
    const header = cells(line);
    const delim = lines[i + 1];
    if (!delim || delim.n !== n + 1 || !/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(delim.line)) {
      problems.push(`line ${n}: a table row without a header and delimiter row above it`);
      continue;
    }
    if (cells(delim.line).length !== header.length)
      problems.push(`line ${n + 1}: delimiter has ${cells(delim.line).length} columns, header ${header.length}`);
    let j = i + 2;
    for (; j < lines.length && lines[j]!.n === lines[j - 1]!.n + 1 && lines[j]!.line.trim() !== ''; j++) {
      const row = lines[j]!;
      if (!row.line.trimStart().startsWith('|')) {
        problems.push(`line ${row.n}: text right after a table (a blank line must end it)`);
        break;
      }
      if (cells(row.line).length !== header.length)
        problems.push(`line ${row.n}: ${cells(row.line).length} cells, the header has ${header.length}`);
    }
    i = j - 1;
  }
  return problems;
}

test('the table checker catches a blank line inside a table and a wrong column count', () => {
  assert.deepEqual(tableProblems('| a | b |\n|---|---|\n| 1 | 2 |\n'), []);
  assert.deepEqual(tableProblems('| a | `x\\|y` |\n|---|---|\n| 1 | `p|q` |\n'), []);
  assert.equal(tableProblems('| a | b |\n|---|---|\n| 1 | 2 |\n\n| 3 | 4 |\n').length, 1);
  assert.equal(tableProblems('| a | b |\n|---|---|---|\n').length, 1);
  assert.equal(tableProblems('| a | b |\n|---|---|\n| 1 | 2 | 3 |\n').length, 1);
  assert.equal(tableProblems('| a | b |\n|---|---|\nplain text\n').length, 1);
});

test('every Markdown table in README.md and docs/ parses as a table', () => {
  const problems = FILES.flatMap((f) =>
    tableProblems(readFileSync(f, 'utf8')).map((p) => `${relative(repoRoot, f)} ${p}`),
  );
  assert.deepEqual(problems, []);
});

test('every relative link in README.md and docs/ points at a file that exists', () => {
  const broken: string[] = [];
  for (const f of FILES) {
    for (const { n, line } of prose(readFileSync(f, 'utf8'))) {
      for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (!target || /^[a-z]+:/.test(target)) continue;
        if (!existsSync(join(dirname(f), target))) broken.push(`${relative(repoRoot, f)}:${n} → ${m[1]}`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

test('every src/ and test/ path the docs name in code spans exists', () => {
  const missing: string[] = [];
  for (const f of FILES) {
    for (const { n, line } of prose(readFileSync(f, 'utf8'))) {
      for (const m of line.matchAll(/`((?:src|test)\/[A-Za-z0-9_./-]+)`/g)) {
        if (!existsSync(join(repoRoot, m[1]!))) missing.push(`${relative(repoRoot, f)}:${n} → ${m[1]}`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

test('README.md is a front door: at most 12 KB, opening with the two-command Quickstart', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'));
  assert.ok(readme.length <= 12 * 1024, `README.md is ${readme.length} bytes; move detail into docs/`);
  const head = readme.toString('utf8').split('\n').slice(0, 12).join('\n');
  const block = head.match(/## Quickstart\n\n```sh\n([\s\S]*?)```/);
  assert.ok(block, 'a Quickstart code block within the first lines');
  const commands = block[1]!
    .trim()
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim());
  assert.deepEqual(commands, ['npm start', 'npm test']);
});

test('nothing in README.md or docs/ reads as a work log: no issue numbers', () => {
  const hits = FILES.flatMap((f) =>
    prose(readFileSync(f, 'utf8'))
      .filter(({ line }) => /\bissue #?\d+/i.test(line))
      .map(({ n }) => `${relative(repoRoot, f)}:${n}`),
  );
  assert.deepEqual(hits, []);
});
