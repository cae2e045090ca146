// tshark (Debian) dissects our SMPP submit_sm PDUs down to WSP SEC/MAC and the WBXML tree, with no
// malformed or warning packets: both profiles, all four SEC methods, 1, 2 and 5+ segments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SEC_VALUES, segmentPush, submitSmFields } from '../../src/codec/index.js';
import { interopCases } from './cases.js';
import { hexDump, submitSmPdu } from './smpp-pdu.js';
import { tempDir, tool, writeTemp } from './tools.js';

const FIELDS = [
  'smpp.data_coding',
  'gsm_sms.destination_port',
  'gsm_sms.originator_port',
  'wsp.pdu_type',
  'wsp.header.content_type',
  'wsp.parameter.sec',
  'wsp.parameter.mac',
  'wsp.header.x_wap_application_id',
  'wbxml.version',
  'wbxml.public_id.known',
  'wbxml.charset',
];

test('tshark dissects every push: SMPP → UDH → reassembly → WSP SEC/MAC → WBXML, cleanly', () => {
  const cases = interopCases();
  const pdus: Buffer[] = [];
  let seq = 1;
  cases.forEach((c, i) => {
    const segs = segmentPush(c.built.wsp, {
      reference: i + 1,
      referenceBits: i % 2 ? 16 : 8,
      dataCoding: i % 3 ? 0x04 : 0xf5,
    });
    const n = segs.length;
    assert.ok(c.segments === '1' ? n === 1 : c.segments === '2' ? n === 2 : n >= 3, `${c.name}: ${n} segments`);
    for (const s of segs)
      pdus.push(submitSmPdu(submitSmFields(s, { sourceAddr: 'DMSERVER', destinationAddr: '447700900123' }), seq++));
  });
  const dir = tempDir('tshark');
  const pcap = join(dir, 'smpp.pcap');
  const t2p = tool('text2pcap', [
    '-q',
    '-4',
    '127.0.0.1,127.0.0.2',
    '-T',
    '40000,2775',
    writeTemp(dir, 'smpp.txt', hexDump(pdus)),
    pcap,
  ]);
  assert.equal(t2p.status, 0, t2p.stderr);
  const base = ['-r', pcap, '-d', 'tcp.port==2775,smpp'];
  const bad = tool('tshark', [...base, '-Y', '_ws.malformed || _ws.expert.severity >= warning']);
  assert.equal(bad.status, 0, bad.stderr);
  assert.equal(bad.stdout.trim(), '', 'no malformed or warning packets');
  const rows = tool('tshark', [
    ...base,
    '-Y',
    'wsp',
    '-T',
    'fields',
    '-E',
    'separator=|',
    ...FIELDS.flatMap((f) => ['-e', f]),
  ])
    .stdout.trim()
    .split('\n')
    .map((l) => Object.fromEntries(l.split('|').map((v, k) => [FIELDS[k]!, v])));
  assert.equal(rows.length, cases.length, 'one reassembled WSP push per case');
  for (const c of cases) {
    const row = rows.find((r) => r['wsp.parameter.mac'] === c.built.mac);
    assert.ok(row, `${c.name}: push with MAC ${c.built.mac} not dissected`);
    const dm = c.input.profile === 'dm';
    assert.equal(row['gsm_sms.destination_port'], '2948');
    assert.equal(row['gsm_sms.originator_port'], '9200');
    assert.equal(row['wsp.pdu_type'], '0x06');
    assert.equal(
      row['wsp.header.content_type'],
      dm ? 'application/vnd.syncml.dm+wbxml' : 'application/vnd.wap.connectivity-wbxml',
    );
    assert.equal(Number(row['wsp.parameter.sec']), SEC_VALUES[c.sec.method], c.name);
    assert.equal(row['wsp.header.x_wap_application_id'], dm ? 'x-wap-application:syncml.dm' : '');
    assert.equal(row['wbxml.version'], dm ? '0x02' : '0x03');
    assert.equal(Number(row['wbxml.public_id.known']), dm ? 0x1201 : 0x0b);
    assert.equal(row['wbxml.charset'], '106');
  }
  const tree = tool('tshark', [...base, '-Y', 'wbxml', '-V']).stdout;
  for (const s of [
    "'com.example.dm'",
    "'https://dm.example.com/dm'",
    "'IMEI:490154203237518'",
    "'DM/1.2'",
    "'http://a/'",
  ])
    assert.ok(tree.includes(s), `WBXML tree shows ${s}`);
});
