import type { ErrorCode } from '../errors.js';

/**
 * SMPP v3.4 command_status values (SMPP v3.4 §5.1.3 "command_status") and what a submitter
 * should do about each: slow down (throttle), try again later (retry), or give up
 * (permanent). Unknown statuses are treated as temporary: retrying a refused message cannot
 * deliver it twice, giving up loses it.
 */
export const COMMAND_STATUS = {
  ESME_ROK: 0x00,
  ESME_RINVMSGLEN: 0x01,
  ESME_RINVCMDID: 0x03,
  ESME_RINVBNDSTS: 0x04,
  ESME_RSYSERR: 0x08,
  ESME_RINVSRCADR: 0x0a,
  ESME_RINVDSTADR: 0x0b,
  ESME_RBINDFAIL: 0x0d,
  ESME_RMSGQFUL: 0x14,
  ESME_RINVESMCLASS: 0x43,
  ESME_RSUBMITFAIL: 0x45,
  ESME_RINVSRCTON: 0x48,
  ESME_RINVSRCNPI: 0x49,
  ESME_RINVDSTTON: 0x50,
  ESME_RINVDSTNPI: 0x51,
  ESME_RTHROTTLED: 0x58,
  ESME_RX_T_APPN: 0x64,
  ESME_RX_P_APPN: 0x65,
  ESME_RX_R_APPN: 0x66,
} as const;

const THROTTLE = new Set<number>([COMMAND_STATUS.ESME_RTHROTTLED, COMMAND_STATUS.ESME_RMSGQFUL]);
const PERMANENT = new Set<number>([
  COMMAND_STATUS.ESME_RINVMSGLEN,
  COMMAND_STATUS.ESME_RINVSRCADR,
  COMMAND_STATUS.ESME_RINVDSTADR,
  COMMAND_STATUS.ESME_RINVESMCLASS,
  COMMAND_STATUS.ESME_RINVSRCTON,
  COMMAND_STATUS.ESME_RINVSRCNPI,
  COMMAND_STATUS.ESME_RINVDSTTON,
  COMMAND_STATUS.ESME_RINVDSTNPI,
  COMMAND_STATUS.ESME_RX_P_APPN,
  COMMAND_STATUS.ESME_RX_R_APPN,
]);

const NAMES = new Map<number, string>(Object.entries(COMMAND_STATUS).map(([k, v]) => [v, k]));

export function statusName(status: number): string {
  return NAMES.get(status) ?? `0x${status.toString(16).padStart(8, '0')}`;
}

export function classifyStatus(status: number): ErrorCode {
  if (THROTTLE.has(status)) return 'SMPP_THROTTLED';
  if (PERMANENT.has(status)) return 'SMPP_REJECTED';
  return 'SMPP_TEMPORARY';
}
