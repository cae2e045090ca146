import { create } from 'xmlbuilder2';

/** One TwiML verb as the simulator sees it. */
export interface Verb {
  readonly verb: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly text: string;
  readonly children: readonly Verb[];
}

interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  attributes?: Iterable<{ name: string; value: string }>;
  childNodes: Iterable<DomNode>;
}

function toVerb(n: DomNode): Verb {
  const children = [...n.childNodes].filter((c) => c.nodeType === 1).map(toVerb);
  return {
    verb: n.nodeName,
    attrs: Object.fromEntries([...(n.attributes ?? [])].map((a) => [a.name, a.value])),
    text: (n.textContent ?? '').trim(),
    children,
  };
}

/** Parses a TwiML document into its top-level verbs; throws if it is not a <Response>. */
export function parseTwiml(xml: string): Verb[] {
  const root = create(xml).root().node as unknown as DomNode;
  if (root.nodeName !== 'Response') throw new Error(`TwiML root is <${root.nodeName}>, expected <Response>`);
  return [...root.childNodes].filter((c) => c.nodeType === 1).map(toVerb);
}

/** Everything the caller would hear, in order (prompts nested in Gather included). */
export function spokenText(verbs: readonly Verb[]): string[] {
  return verbs.flatMap((v) => (v.verb === 'Say' ? [v.text] : spokenText(v.children)));
}
