import type { BootlineError } from '../../errors.js';
import { statusName } from '../../smpp/status.js';
import { causeOfError, type FailureCause } from '../lifecycle.js';

/**
 * The failure cause a permanent error records, with its detail: the SMPP command_status name
 * of a refused submit_sm (SMPP v3.4 §5.1.3), the DM server's answer, or the error code.
 */
export function failureOf(err: BootlineError): { cause: FailureCause; detail: string } {
  const cause = causeOfError(err.code);
  const status = err.details.status;
  if (cause === 'SMSC_REJECTED' && typeof status === 'number') return { cause, detail: statusName(status) };
  if (cause === 'DM_REGISTRATION_REFUSED' || cause === 'DM_REGISTRATION_UNAVAILABLE')
    return { cause, detail: err.message.slice(0, 200) };
  return { cause, detail: cause === 'INTERNAL_ERROR' ? err.code : '' };
}
