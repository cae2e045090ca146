import { CloudEvent, HTTP, ValidationError, type CloudEventV1 } from 'cloudevents';
import { BootlineError } from '../../errors.js';

/** CloudEvents 1.0 HTTP binding §3.2: structured content mode. */
const STRUCTURED = 'application/cloudevents+json';
/** CAMARA's PhoneNumber schema (E.164 with '+'). */
const PHONE = /^\+[1-9]\d{4,14}$/;
const IMEI = /^\d{14,16}$/;
const REQUIRED = ['id', 'source', 'specversion', 'type'] as const;

export interface NetworkEventData {
  readonly phoneNumber: string;
  readonly imei?: string;
}

const invalid = (why: string) => new BootlineError('EVENT_INVALID', `not a valid CloudEvent: ${why}`);

/**
 * One event in structured JSON mode, as CAMARA notifications arrive (content type
 * application/cloudevents+json). The SDK's HTTP binding parses it and its schema validation
 * checks the attributes' types and formats; the SDK fills in a missing id, time or
 * specversion on its own, so the required context attributes (CloudEvents 1.0 §3.1) are
 * checked on the body as sent.
 */
export function readStructuredEvent(contentType: string | undefined, body: Buffer): CloudEventV1<unknown> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== STRUCTURED)
    throw new BootlineError(
      'UNSUPPORTED_MEDIA_TYPE',
      `send one event in structured mode (Content-Type: ${STRUCTURED}), not ${type || 'no content type'}`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid('the body is not JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('the body is not one JSON object');
  const attrs = raw as Record<string, unknown>;
  for (const a of REQUIRED)
    if (typeof attrs[a] !== 'string' || attrs[a] === '') throw invalid(`the "${a}" attribute is missing or empty`);
  if (attrs.specversion !== '1.0') throw invalid(`specversion ${String(attrs.specversion)} is not 1.0`);
  try {
    // The binding reads the message (mode, extensions); the strict constructor validates the
    // attributes as sent against the spec's JSON schema (the binding's own copy normalises them).
    HTTP.toEvent({ headers: { 'content-type': contentType! }, body: attrs });
    return new CloudEvent<unknown>(attrs as CloudEventV1<unknown>, true);
  } catch (err) {
    if (err instanceof ValidationError || err instanceof TypeError) throw invalid(err.message.replace(/\s+/g, ' '));
    throw err;
  }
}

/** data.phoneNumber (E.164) and, for a device trigger, data.imei. */
export function networkEventData(event: CloudEventV1<unknown>): NetworkEventData {
  const data = event.data as Record<string, unknown> | undefined;
  if (typeof data !== 'object' || data === null) throw invalid('data must be a JSON object');
  const { phoneNumber, imei } = data;
  if (typeof phoneNumber !== 'string' || !PHONE.test(phoneNumber))
    throw invalid('data.phoneNumber must be an E.164 number such as +447700900123');
  if (imei !== undefined && (typeof imei !== 'string' || !IMEI.test(imei)))
    throw invalid('data.imei must be 14-16 digits');
  return { phoneNumber, ...(typeof imei === 'string' ? { imei } : {}) };
}
