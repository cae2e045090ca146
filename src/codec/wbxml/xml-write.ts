/** Codec tree → XML text, written with xmlbuilder2 (escaping, DOCTYPE and namespaces are its job). */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { isElement, type XmlDocument, type XmlElement } from './tree.js';

function add(parent: XMLBuilder, e: XmlElement): void {
  const node = parent.ele(e.name, Object.fromEntries(e.attrs));
  for (const c of e.children) {
    if (typeof c === 'string') node.txt(c);
    else if (isElement(c)) add(node, c);
    else node.txt(Buffer.from(c.opaque).toString('base64'));
  }
}

/** Renders a document, indented by two spaces, with the XML declaration and DOCTYPE. */
export function writeXml(doc: XmlDocument, opts: { pretty?: boolean } = {}): string {
  const b = create({ version: '1.0' });
  if (doc.publicId !== undefined)
    b.dtd({ name: doc.root.name, pubID: doc.publicId, ...(doc.systemId ? { sysID: doc.systemId } : {}) });
  add(b, doc.root);
  return b.end({ prettyPrint: opts.pretty ?? true }) + '\n';
}
