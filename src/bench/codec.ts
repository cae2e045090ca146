/**
 * Codec benchmark: complete CP USERPIN pushes per second on one core — model → document →
 * WBXML → HMAC-SHA1 MAC → WSP Push → SMS segments — against a simple, honest baseline
 * measured in the same run: HMAC-SHA1 alone over the same body (the one step no encoder
 * can avoid). A second figure includes rendering the XML text (wbxml/xml-write.ts).
 */
import { createHmac } from 'node:crypto';
import { buildPush, segmentPush, type CpBootstrapModel } from '../codec/index.js';

const MODEL: CpBootstrapModel = {
  providerId: 'com.example.dm',
  name: 'Example DM',
  addr: 'https://dm.example.com/dm',
  toNapId: 'INTERNET',
  appAuth: [
    { level: 'APPSRV', type: 'DIGEST', name: 'IMEI:490154203237518', secret: 'clientsecret', data: 'clientnonce' },
    { level: 'CLIENT', type: 'DIGEST', name: 'com.example.dm', secret: 'serversecret', data: 'servernonce' },
  ],
};

/** Runs `fn` repeatedly for about `ms` milliseconds (after a short warm-up); returns ops/s. */
function measure(ms: number, fn: (i: number) => void): number {
  for (let i = 0; i < 2000; i++) fn(i);
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let k = 0; k < 200; k++) fn(n++);
    t = performance.now();
  }
  return n / ((t - t0) / 1000);
}

function buildOne(i: number, withXml: boolean): number {
  const built = buildPush(
    { profile: 'cp', model: MODEL },
    { method: 'USERPIN', pin: String(1000 + (i % 9000)) },
    { tid: i & 0xff },
  );
  const segs = segmentPush(built.wsp, { reference: i & 0xff });
  return segs.length + (withXml ? built.xml.length : 0);
}

export async function benchCodec(opts: { durationMs?: number } = {}): Promise<{
  name: string;
  opsPerSec: number;
  baselineOpsPerSec: number;
  ratio: number;
  details?: Record<string, unknown>;
}> {
  const ms = opts.durationMs ?? 2000;
  const sample = buildPush({ profile: 'cp', model: MODEL }, { method: 'USERPIN', pin: '1234' });
  let sink = 0;
  const opsPerSec = measure(ms, (i) => {
    sink += buildOne(i, false);
  });
  const withXml = measure(ms / 2, (i) => {
    sink += buildOne(i, true);
  });
  const baselineOpsPerSec = measure(ms, (i) => {
    sink += createHmac('sha1', String(1000 + (i % 9000)))
      .update(sample.body)
      .digest()[0]!;
  });
  return {
    name: 'codec: CP USERPIN push built (model → WBXML → MAC → WSP → SMS)',
    opsPerSec: Math.round(opsPerSec),
    baselineOpsPerSec: Math.round(baselineOpsPerSec),
    ratio: Number((opsPerSec / baselineOpsPerSec).toFixed(3)),
    details: {
      goalOpsPerSec: 20000,
      meetsGoal: opsPerSec >= 20000,
      withXmlTextOpsPerSec: Math.round(withXml),
      baseline: 'HMAC-SHA1 of the same WBXML body only',
      bodyOctets: sample.body.length,
      wspOctets: sample.wsp.length,
      segments: segmentPush(sample.wsp, { reference: 0 }).length,
      sink: sink % 7,
    },
  };
}
