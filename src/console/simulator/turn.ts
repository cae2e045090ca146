import type { Verb } from './twiml.js';

/** How the simulator reaches bootline: real HTTP (fetch) or supertest in tests. */
export type Transport = (
  url: string,
  params: Record<string, string>,
  headers: Record<string, string>,
) => Promise<{ status: number; body: string }>;

export const fetchTransport: Transport = async (url, params, headers) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: await res.text() };
};

/** The caller was handed to a person: <Enqueue> or <Dial>. */
export interface Transfer {
  readonly verb: 'Enqueue' | 'Dial';
  /** Queue name, number or SIP URI ("" for a TaskRouter enqueue). */
  readonly target: string;
  readonly action?: string;
  /** The <Task> JSON of a TaskRouter enqueue. */
  readonly task?: Record<string, unknown>;
}

export interface Turn {
  readonly status: number;
  /** Verbs of the last document (after following every <Redirect>). */
  readonly verbs: readonly Verb[];
  /** Everything heard since the caller's last action, across redirects. */
  readonly says: readonly string[];
  readonly gather?: { readonly action: string; readonly numDigits?: number; readonly finishOnKey: string };
  readonly transfer?: Transfer;
  /** Set when the simulator stopped at a <Redirect> (maxRedirects reached): `resume()` follows it. */
  readonly redirect?: string;
  readonly hungUp: boolean;
}

/** The <Enqueue>/<Dial> a document ends with, as the caller experiences it. */
export function transferOf(verbs: readonly Verb[]): Transfer | undefined {
  const v = verbs.find((x) => x.verb === 'Enqueue' || x.verb === 'Dial');
  if (!v) return undefined;
  const task = v.children.find((c) => c.verb === 'Task');
  const noun = v.children.find((c) => c.verb !== 'Task');
  return {
    verb: v.verb as Transfer['verb'],
    target: noun?.text ?? (task ? '' : v.text),
    ...(v.attrs.action ? { action: v.attrs.action } : {}),
    ...(task ? { task: JSON.parse(task.text) as Record<string, unknown> } : {}),
  };
}
