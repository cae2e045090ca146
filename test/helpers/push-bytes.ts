/**
 * Test-side decoding of what reached the SMSC, written independently of src/bootstrap so a
 * bug there cannot hide itself: 3GPP TS 23.040 §9.2.3.24 UDH, WAP-230-WSP §8.2.4 Push PDU.
 */
export interface SegmentInfo {
  readonly dstPort?: number;
  readonly srcPort?: number;
  readonly concat?: { ref: number; total: number; seq: number };
  readonly payload: Buffer;
}

export function splitUdh(sm: Buffer): SegmentInfo {
  const udhl = sm[0]!;
  const info: { dstPort?: number; srcPort?: number; concat?: SegmentInfo['concat'] } = {};
  let i = 1;
  while (i < 1 + udhl) {
    const iei = sm[i]!;
    const len = sm[i + 1]!;
    const v = sm.subarray(i + 2, i + 2 + len);
    if (iei === 0x05 && len === 4) {
      info.dstPort = v.readUInt16BE(0);
      info.srcPort = v.readUInt16BE(2);
    }
    if (iei === 0x00 && len === 3) info.concat = { ref: v[0]!, total: v[1]!, seq: v[2]! };
    if (iei === 0x08 && len === 4) info.concat = { ref: v.readUInt16BE(0), total: v[2]!, seq: v[3]! };
    i += 2 + len;
  }
  return { ...info, payload: sm.subarray(1 + udhl) };
}

export interface WspPush {
  readonly tid: number;
  readonly pduType: number;
  readonly headers: Buffer;
  readonly contentType: number;
  readonly sec?: number;
  readonly mac?: string;
  readonly body: Buffer;
}

function uintvar(b: Buffer, at: number): [number, number] {
  let v = 0;
  for (let i = at; i < at + 5; i++) {
    v = (v << 7) | (b[i]! & 0x7f);
    if ((b[i]! & 0x80) === 0) return [v, i + 1];
  }
  throw new Error('uintvar too long');
}

export function parseWspPush(pdu: Buffer): WspPush {
  const [hlen, hstart] = uintvar(pdu, 2);
  const headers = pdu.subarray(hstart, hstart + hlen);
  let i = 0;
  let ctEnd = headers.length;
  if (headers[0] === 0x1f) {
    const [len, after] = uintvar(headers, 1);
    i = after;
    ctEnd = after + len;
  } else if (headers[0]! <= 30) {
    ctEnd = 1 + headers[0]!;
    i = 1;
  }
  const contentType = headers[i++]! & 0x7f;
  let sec: number | undefined;
  let mac: string | undefined;
  while (i < ctEnd) {
    const p = headers[i++]!;
    if (p === 0x91) sec = headers[i++]! & 0x7f;
    else if (p === 0x92) {
      const end = headers.indexOf(0, i);
      mac = headers.subarray(i, end).toString('ascii');
      i = end + 1;
    } else break;
  }
  return {
    tid: pdu[0]!,
    pduType: pdu[1]!,
    headers,
    contentType,
    ...(sec !== undefined ? { sec } : {}),
    ...(mac ? { mac } : {}),
    body: pdu.subarray(hstart + hlen),
  };
}
