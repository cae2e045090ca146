/** Shared fixtures for the codec tests: vector files, the Example A/C models, tree helpers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CpBootstrapModel, DmBootstrapModel, XmlElement, XmlNode } from '../../../src/codec/index.js';
import { vectorsDir } from '../../helpers/paths.js';

export function vectorText(rel: string): string {
  return readFileSync(join(vectorsDir, rel), 'utf8');
}

/** Hex file → bytes (whitespace ignored). */
export function vectorHex(rel: string): Buffer {
  return Buffer.from(vectorText(rel).replace(/\s+/g, ''), 'hex');
}

/** One hex line per SMS short_message. */
export function vectorSegments(rel: string): Buffer[] {
  return vectorText(rel)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => Buffer.from(l.trim(), 'hex'));
}

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/** The model that reproduces Example A (test/vectors/documents/example-a.xml). */
export const EXAMPLE_A: CpBootstrapModel = {
  providerId: 'com.example.dm',
  name: 'Example DM',
  addr: 'https://dm.example.com/dm',
  toNapId: 'INTERNET',
  appAuth: [
    { level: 'APPSRV', type: 'DIGEST', name: 'IMEI:490154203237518', secret: 'clientsecret', data: 'clientnonce' },
    { level: 'CLIENT', type: 'DIGEST', name: 'com.example.dm', secret: 'serversecret', data: 'servernonce' },
  ],
};

/** The model with Example C's values (test/vectors/documents/example-c.xml). */
export const EXAMPLE_C: DmBootstrapModel = {
  deviceId: 'IMEI:490154203237518',
  serverId: 'com.example.dm',
  accountNode: 'ExampleDM',
  name: 'Example DM',
  addr: 'https://dm.example.com/dm',
  port: 443,
  aauthPref: 'DIGEST',
  clientAuth: { type: 'DIGEST', name: 'IMEI:490154203237518', secret: 'clientsecret', data: 'Y2xpZW50bm9uY2U=' },
  serverAuth: { type: 'DIGEST', name: 'com.example.dm', secret: 'serversecret', data: 'c2VydmVybm9uY2U=' },
};

/** A plain-JSON view of a tree for deepStrictEqual; `xmlns` dropped when `dropNs`. */
export function plain(n: XmlNode, dropNs = false): unknown {
  if (typeof n === 'string') return n;
  if ('opaque' in n) return { opaque: hex(n.opaque) };
  const e = n as XmlElement;
  return {
    name: e.name,
    attrs: e.attrs.filter(([k]) => !(dropNs && k === 'xmlns')).map(([k, v]) => [k, v]),
    children: e.children.map((c) => plain(c, dropNs)),
  };
}

/** Removes elements with the given name anywhere in the tree. */
export function without(e: XmlElement, name: string): XmlElement {
  return {
    ...e,
    children: e.children
      .filter((c) => typeof c === 'string' || !('name' in c) || c.name !== name)
      .map((c) => (typeof c === 'object' && 'name' in c ? without(c, name) : c)),
  };
}
