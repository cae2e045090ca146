/**
 * Attribute state of the WBXML decoder: attribute-start tokens (< 0x80) open an attribute,
 * value tokens (≥ 0x80), STR_I/STR_T/ENTITY/OPAQUE append to its value, SWITCH_PAGE moves
 * the attribute page (kept across elements, separate from the tag page), END closes the list.
 */
import { codecError } from '../../errors.js';
import { decodeUtf8, entity } from './byte-reader.js';
import { GLOBAL, isGlobalToken } from './global-tokens.js';
import { tableString } from './header.js';
import { splitAttrStart } from './language.js';
import type { BodyDecoder } from './decoder.js';

interface Open {
  name: string;
  value: string;
}

/** The attribute list being read: names seen so far (a Set keeps the duplicate check linear) and `name`'s value. */
interface Seen {
  readonly names: Set<string>;
  parmName: string | undefined;
}

function legacyValue(d: BodyDecoder, b: number, cur: Open | undefined, seen: Seen): string | undefined {
  const legacy = d.lang.legacyValues;
  if (!legacy || cur?.name !== 'value' || d.attrState.page !== legacy.page) return undefined;
  if (seen.parmName !== legacy.parmName) return undefined;
  return legacy.tokens[b];
}

function unknown(d: BodyDecoder, b: number, at: number, what: string): never {
  throw codecError(
    'WBXML_UNKNOWN_TOKEN',
    `${what} 0x${b.toString(16)} is not defined on ${d.lang.name} attribute page ${d.attrState.page}`,
    at,
    { page: d.attrState.page, token: b },
  );
}

/** Reads attributes up to and including END; `el.attrs` are those already decoded (xmlns). */
export function decodeAttributes(
  d: BodyDecoder,
  el: { name: string; attrs: readonly (readonly [string, string])[] },
): [string, string][] {
  const out: [string, string][] = [];
  const seen: Seen = { names: new Set(), parmName: undefined };
  for (const [n, v] of el.attrs) {
    seen.names.add(n);
    if (n === 'name') seen.parmName = v;
  }
  let cur: Open | undefined;
  const close = (at: number) => {
    if (!cur) return;
    if (seen.names.has(cur.name)) {
      throw codecError('WBXML_DUPLICATE_ATTRIBUTE', `<${el.name}> has attribute "${cur.name}" twice`, at);
    }
    d.ctx.spend(cur.name.length, at);
    seen.names.add(cur.name);
    if (cur.name === 'name') seen.parmName = cur.value;
    out.push([cur.name, cur.value]);
    cur = undefined;
  };
  const append = (s: string, at: number) => {
    if (!cur) throw codecError('WBXML_UNKNOWN_TOKEN', 'attribute value before any attribute start', at);
    // Counted and checked piece by piece: a value built from many STR_T references must not outgrow
    // the budget unseen, and an error points at the token that carried the character.
    cur.value += d.ctx.text(s, at, `attribute "${cur.name}"`);
  };
  for (;;) {
    const at = d.r.pos;
    const b = d.r.u8();
    if (b === GLOBAL.END) {
      close(at);
      return out;
    }
    if (b === GLOBAL.SWITCH_PAGE) {
      d.attrState.page = d.r.u8();
      continue;
    }
    if (b === GLOBAL.STR_I) {
      append(d.r.cstring(), at);
      continue;
    }
    if (b === GLOBAL.STR_T) {
      append(tableString(d.h.stringTable, d.r.mbUint32(), at), at);
      continue;
    }
    if (b === GLOBAL.ENTITY) {
      append(entity(d.r.mbUint32(), at), at);
      continue;
    }
    if (b === GLOBAL.OPAQUE) {
      append(decodeUtf8(d.r.lengthPrefixed('OPAQUE'), at), at);
      continue;
    }
    if (b === GLOBAL.LITERAL) {
      close(at);
      cur = { name: d.literal(at), value: '' };
      continue;
    }
    const legacy = legacyValue(d, b, cur, seen);
    if (legacy !== undefined) {
      append(legacy, at);
      continue;
    }
    if (isGlobalToken(b)) unknown(d, b, at, 'global token');
    if (b < 0x80) {
      close(at);
      const entry = d.lang.attrStarts?.[d.attrState.page]?.[b];
      if (entry === undefined) unknown(d, b, at, 'attribute start');
      const { attr, prefix } = splitAttrStart(entry);
      cur = { name: attr, value: prefix };
    } else {
      const v = d.lang.attrValues?.[d.attrState.page]?.[b];
      if (v === undefined) unknown(d, b, at, 'attribute value');
      append(v, at);
    }
  }
}
