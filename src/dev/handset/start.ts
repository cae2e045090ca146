import type { Logger } from '../../platform/logger.js';
import type { DmStandIn } from '../dm-server.js';
import type { DevSmsc } from '../smsc/server.js';
import { SubscriberStandIn } from '../subscriber-lookup.js';
import { startHandsetControl } from './control.js';
import { HandsetSimulator } from './simulator.js';

export interface DevHandsets {
  readonly handsets: HandsetSimulator;
  /** The loopback control API (the call CLI posts the PIN it heard here). */
  readonly controlUrl: string;
  close(): Promise<void>;
}

/**
 * The dev stack's simulated handsets: every number the dev SMSC delivers to is a handset.
 * Their SIMs hold the IMSIs the subscriber stand-in answers (its fixed entries, else its test
 * IMSI for the number), and the DM server's host name resolves to the DM stand-in when the
 * stack runs one (a real DM server is reached at the address the bootstrap names).
 */
export async function startDevHandsets(o: {
  readonly smsc: DevSmsc;
  readonly dm: DmStandIn | null;
  readonly subscribers: SubscriberStandIn | null;
  /** DM_SERVER_URL: the address the Bootstrap Messages carry. */
  readonly dmServerUrl: string;
  readonly logger: Logger;
  readonly controlPort?: number;
}): Promise<DevHandsets> {
  const sims = o.subscribers ?? new SubscriberStandIn({ secret: 'unused: only its IMSI mapping is read' });
  const handsets = new HandsetSimulator({
    logger: o.logger,
    imsiOf: (msisdn) => sims.imsis.get(msisdn) ?? sims.testImsi(msisdn),
    hosts: o.dm ? { [new URL(o.dmServerUrl).hostname]: o.dm.hostPort } : {},
  });
  const detach = handsets.attach(o.smsc);
  const control = await startHandsetControl(handsets, o.controlPort ?? 0);
  return {
    handsets,
    controlUrl: control.url,
    close: async () => {
      detach();
      await control.close();
    },
  };
}
