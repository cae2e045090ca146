// Small DOM and fetch helpers shared by the console's pages (browser code, bundled by esbuild).

export const $ = <T extends Element = HTMLElement>(sel: string, root: ParentNode = document): T => {
  const e = root.querySelector<T>(sel);
  if (!e) throw new Error(`no element ${sel}`);
  return e;
};
export const $maybe = <T extends Element = HTMLElement>(sel: string): T | null => document.querySelector<T>(sel);

export interface ApiAnswer<T = Record<string, unknown>> {
  readonly ok: boolean;
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field where used
  readonly data: T & { error?: any };
}

/** Same-origin JSON (or text) call with the session cookie. */
export async function api<T = Record<string, unknown>>(method: string, url: string, body?: unknown) {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json() : { text: await res.text() };
  return { ok: res.ok, status: res.status, data } as ApiAnswer<T>;
}

type Child = Node | string;

/** An element with attributes (`dataset` merged) and children. */
export function el(tag: string, attrs: Record<string, string | Record<string, string>> = {}, ...children: Child[]) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'dataset' && typeof v === 'object') Object.assign(e.dataset, v);
    else if (typeof v === 'string') e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

/** "2026-12-03T10:00:00.000Z" → "2026-12-03 10:00:00 UTC". */
export const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
