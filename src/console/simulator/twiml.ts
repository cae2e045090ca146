import { create } from 'xmlbuilder2';

/** One TwiML verb as the simulator sees it. */
export interface Verb {
  readonly verb: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** Text content; for <Say>, what the caller hears (SSML digits spaced, breaks as commas). */
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

const ELEMENT = 1;
const TEXT = 3;

/** Reads SSML the way a TTS voice would: <say-as interpret-as="digits"> digit by digit, <break> as a pause. */
function spoken(n: DomNode): string {
  let out = '';
  for (const c of n.childNodes) {
    if (c.nodeType === TEXT) out += c.textContent ?? '';
    else if (c.nodeType !== ELEMENT) continue;
    else if (c.nodeName === 'break') out += ', ';
    else if (c.nodeName === 'say-as' && attrsOf(c)['interpret-as'] === 'digits')
      out += (c.textContent ?? '').replace(/\s+/g, '').split('').join(' ');
    else out += spoken(c);
  }
  return out.replace(/\s*,\s*,\s*/g, ', ').replace(/ {2,}/g, ' ');
}

function attrsOf(n: DomNode): Record<string, string> {
  return Object.fromEntries([...(n.attributes ?? [])].map((a) => [a.name, a.value]));
}

function toVerb(n: DomNode): Verb {
  const children = [...n.childNodes].filter((c) => c.nodeType === ELEMENT).map(toVerb);
  const text = n.nodeName === 'Say' ? spoken(n) : (n.textContent ?? '');
  return { verb: n.nodeName, attrs: attrsOf(n), text: text.trim(), children };
}

/** Parses a TwiML document into its top-level verbs; throws if it is not a <Response>. */
export function parseTwiml(xml: string): Verb[] {
  const root = create(xml).root().node as unknown as DomNode;
  if (root.nodeName !== 'Response') throw new Error(`TwiML root is <${root.nodeName}>, expected <Response>`);
  return [...root.childNodes].filter((c) => c.nodeType === ELEMENT).map(toVerb);
}

/** Everything the caller would hear, in order (prompts nested in Gather included). */
export function spokenText(verbs: readonly Verb[]): string[] {
  return verbs.flatMap((v) => (v.verb === 'Say' ? [v.text] : spokenText(v.children)));
}
