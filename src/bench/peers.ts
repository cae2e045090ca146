/**
 * The remote parties of the push benchmarks in a process of their own, so their CPU use is
 * not charged to the worker being measured: the dev SMSC and the DM stand-in. Prints one
 * JSON line with their ports, then a line per accepted submit_sm ("S <dest> <epoch ms>");
 * reads commands on stdin: "faults <json>" (SMSC fault switches), "counts" (answered with
 * "C <json>"), "quit".
 */
import { createInterface } from 'node:readline';
import { DevSmsc } from '../dev/smsc/server.js';
import { DmStandIn } from '../dev/dm-server.js';
import { silentLogger } from '../platform/logger.js';

const { secret, receiptDelayMs } = JSON.parse(process.argv[2] ?? '{}') as { secret: string; receiptDelayMs: number };
const logger = silentLogger();
// The floor client binds as an ESME of its own, so its receipts never go to bootline's worker.
const smsc = new DevSmsc({ logger, receiptDelayMs, accounts: { floor: 'floorpass' } });
await smsc.listen(0);
const dm = new DmStandIn({ secret, logger });
await dm.listen(0);
let lines: string[] = [];
smsc.on('submit', (r) => {
  lines.push(`S ${r.destinationAddr} ${r.at.getTime()}`);
});
// One write per 5 ms instead of one per submit.
setInterval(() => {
  if (lines.length) {
    process.stdout.write(lines.join('\n') + '\n');
    lines = [];
  }
}, 5).unref();
process.stdout.write(JSON.stringify({ smscPort: smsc.port, dmUrl: dm.url }) + '\n');

for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, ...rest] = line.split(' ');
  if (cmd === 'faults') smsc.setFaults(JSON.parse(rest.join(' ')));
  else if (cmd === 'counts')
    process.stdout.write(`C ${JSON.stringify({ ...smsc.counts, received: smsc.received.length, dm: dm.requests })}\n`);
  else if (cmd === 'quit') break;
}
await smsc.close();
await dm.close();
process.exit(0);
