/**
 * The one catalogue of bootline errors. Every error that crosses a module boundary is a
 * BootlineError with a stable `code` from this table; callers branch on the code, never on
 * the message. `http` gives the status a web route answers with; `retry` tells the worker
 * whether BullMQ should try again ("retry"), give up ("permanent"), or slow down ("throttle").
 *
 * Codes are part of the public contract (logs, API bodies, CLI exit messages): add new
 * ones, never rename or reuse.
 */
export type RetrySemantics = 'retry' | 'permanent' | 'throttle';

interface ErrorSpec {
  readonly http: number;
  readonly retry: RetrySemantics;
  readonly summary: string;
}

export const ERROR_CATALOGUE = {
  // --- configuration and startup ---
  CONFIG_INVALID: { http: 500, retry: 'permanent', summary: 'Configuration is missing or invalid' },
  REDIS_UNAVAILABLE: { http: 503, retry: 'retry', summary: 'Redis is not reachable' },

  // --- webhooks and HTTP ---
  BAD_REQUEST: { http: 400, retry: 'permanent', summary: 'Request is malformed' },
  NOT_FOUND: { http: 404, retry: 'permanent', summary: 'No such resource' },
  UNSUPPORTED_MEDIA_TYPE: {
    http: 415,
    retry: 'permanent',
    summary: 'The request body is not JSON (this API takes Content-Type: application/json)',
  },

  // --- voice flows ---
  FLOW_INVALID: { http: 500, retry: 'permanent', summary: 'Voice flow file is invalid' },
  FLOW_UNKNOWN: { http: 404, retry: 'permanent', summary: 'No voice flow with that id' },
  FLOW_UNKNOWN_STEP: { http: 500, retry: 'permanent', summary: 'Voice flow refers to a step that does not exist' },
  CALL_NOT_VERIFIED: {
    http: 403,
    retry: 'permanent',
    summary: 'The push was asked for before the number was verified',
  },

  // --- bootstrap codec (pure; offsets in `details.offset`) ---
  WBXML_TRUNCATED: { http: 400, retry: 'permanent', summary: 'WBXML ends before the structure is complete' },
  WBXML_UNKNOWN_TOKEN: {
    http: 400,
    retry: 'permanent',
    summary: 'WBXML token not defined for this language/code page',
  },
  WBXML_BAD_VERSION: { http: 400, retry: 'permanent', summary: 'WBXML version byte is not 1.1-1.3' },
  WBXML_BAD_CHARSET: { http: 400, retry: 'permanent', summary: 'WBXML charset is not UTF-8' },
  WBXML_UNKNOWN_LANGUAGE: { http: 400, retry: 'permanent', summary: 'WBXML public id / language is not known' },
  WBXML_BAD_STRING_REF: { http: 400, retry: 'permanent', summary: 'String-table reference outside the table' },
  WBXML_INTEGER_OVERFLOW: {
    http: 400,
    retry: 'permanent',
    summary: 'mb_u_int32 / uintvar longer than 5 octets or above 2^32-1',
  },
  WBXML_UNENCODABLE: {
    http: 400,
    retry: 'permanent',
    summary: 'XML element or attribute has no token in this language',
  },
  XML_INVALID: { http: 400, retry: 'permanent', summary: 'XML document is not well formed' },
  DOCUMENT_INVALID: { http: 400, retry: 'permanent', summary: 'Bootstrap document model is invalid' },
  SEC_BAD_PIN: { http: 400, retry: 'permanent', summary: 'PIN must be ASCII digits' },
  SEC_BAD_IMSI: { http: 400, retry: 'permanent', summary: 'IMSI must be 6-15 digits' },
  SEC_BAD_USERPINMAC_KEY: { http: 400, retry: 'permanent', summary: 'USERPINMAC key K must be at least 5 digits' },
  WSP_TRUNCATED: { http: 400, retry: 'permanent', summary: 'WSP PDU ends early' },
  WSP_BAD_PDU: { http: 400, retry: 'permanent', summary: 'WSP PDU is not a connectionless Push' },
  UDH_INVALID: { http: 400, retry: 'permanent', summary: 'SMS user data header is malformed' },
  SMS_TOO_MANY_SEGMENTS: { http: 400, retry: 'permanent', summary: 'Message needs more than 255 SMS segments' },
  SMS_REASSEMBLY_FAILED: { http: 400, retry: 'permanent', summary: 'Segments do not form one complete message' },
  WBXML_DUPLICATE_ATTRIBUTE: {
    http: 400,
    retry: 'permanent',
    summary: 'WBXML element carries the same attribute twice',
  },
  WBXML_TOO_DEEP: { http: 400, retry: 'permanent', summary: 'WBXML or XML elements nest deeper than the codec allows' },
  WSP_BAD_HEADER: { http: 400, retry: 'permanent', summary: 'WSP header or content-type value is malformed' },
  CODEC_BAD_OPTION: {
    http: 400,
    retry: 'permanent',
    summary: 'Codec option is out of range (TID, reference, port, data coding)',
  },
  XML_FORBIDDEN_CHAR: {
    http: 400,
    retry: 'permanent',
    summary: 'Text carries a character XML 1.0 forbids (C0 control, U+FFFE, U+FFFF, lone surrogate)',
  },
  WBXML_TOO_LARGE: {
    http: 400,
    retry: 'permanent',
    summary: 'Decoded WBXML would exceed the size the codec allows for its input (64 characters per octet)',
  },
  PUSH_STRICT_REFUSED: {
    http: 422,
    retry: 'permanent',
    summary: 'A strict handset would refuse this push (port, SEC or MAC encoding, MAC value)',
  },
  IMEI_INVALID: { http: 400, retry: 'permanent', summary: 'IMEI must be 14-16 digits (its first 8 are the TAC)' },
  DM_MESSAGE_INVALID: {
    http: 400,
    retry: 'permanent',
    summary: 'Body is not a SyncML DM message (no SyncHdr/SyncBody, a required element missing)',
  },

  // --- queue / worker / SMPP ---
  QUEUE_UNAVAILABLE: { http: 503, retry: 'retry', summary: 'The job queue is not reachable' },
  BOOTSTRAP_NOT_FOUND: { http: 404, retry: 'permanent', summary: 'No bootstrap with that id' },
  BOOTSTRAP_SECRET_EXPIRED: { http: 410, retry: 'permanent', summary: 'The PIN for this bootstrap has expired' },
  BOOTSTRAP_BUSY: { http: 409, retry: 'retry', summary: 'Another run of this push job holds the submit lease' },
  SMPP_NOT_CONNECTED: { http: 503, retry: 'retry', summary: 'No SMPP bind to the SMSC' },
  SMPP_TIMEOUT: { http: 504, retry: 'retry', summary: 'SMSC did not answer in time' },
  SMPP_THROTTLED: { http: 429, retry: 'throttle', summary: 'SMSC asked us to slow down' },
  SMPP_REJECTED: { http: 502, retry: 'permanent', summary: 'SMSC refused the message permanently' },
  SMPP_TEMPORARY: { http: 502, retry: 'retry', summary: 'SMSC refused the message for now' },
  SMPP_TPS_LIMIT: {
    http: 429,
    retry: 'throttle',
    summary: 'SMPP_TOTAL_TPS reached across all workers; the job waits as a rate limit',
  },

  // --- DM registration and status API ---
  DM_REGISTRATION_REJECTED: { http: 502, retry: 'permanent', summary: 'The DM server refused the device registration' },
  DM_REGISTRATION_UNAVAILABLE: {
    http: 503,
    retry: 'retry',
    summary: 'The DM server did not accept the registration for now',
  },
  BOOTSTRAP_NOT_RETRYABLE: {
    http: 409,
    retry: 'permanent',
    summary: 'Only a failed or expired bootstrap can be retried',
  },
  API_UNAUTHORIZED: { http: 401, retry: 'permanent', summary: 'Bearer token missing or unknown' },
  API_FORBIDDEN: { http: 403, retry: 'permanent', summary: 'The role of the token may not do this' },

  // --- security and abuse defences ---
  RATE_LIMITED: { http: 429, retry: 'permanent', summary: 'A rate limit for codes or bootstraps refused the action' },
  CALL_ENDED: { http: 410, retry: 'permanent', summary: 'A webhook arrived for a call that is over' },
  DESTINATION_REFUSED: {
    http: 403,
    retry: 'permanent',
    summary: 'The destination fails the destination policy (country or number type)',
  },
  SUBSCRIBER_UNKNOWN: { http: 404, retry: 'permanent', summary: 'The subscriber lookup knows no IMSI for the number' },
  SUBSCRIBER_LOOKUP_UNAVAILABLE: {
    http: 503,
    retry: 'retry',
    summary: 'The subscriber lookup did not answer usefully for now',
  },
  PAYLOAD_TOO_LARGE: { http: 413, retry: 'permanent', summary: 'Request body is larger than the route accepts' },
  // --- support agents: hand-ins, cold transfer codes, Twilio REST ---
  AGENT_NOT_CONFIGURED: { http: 503, retry: 'permanent', summary: 'Hand-ins need TWILIO_ACCOUNT_SID' },
  AGENT_NUMBER_REFUSED: {
    http: 422,
    retry: 'permanent',
    summary: "The prefilled number fails the flow's phone policy",
  },
  AGENT_CALL_NOT_FOUND: { http: 404, retry: 'permanent', summary: 'Twilio knows no call with that CallSid' },
  AGENT_CALL_NOT_ACTIVE: {
    http: 409,
    retry: 'permanent',
    summary: 'The call has ended (or is not in progress) and cannot be redirected',
  },
  AGENT_TOKEN_INVALID: {
    http: 403,
    retry: 'permanent',
    summary: 'Context token is malformed, forged, or for another call',
  },
  AGENT_TOKEN_EXPIRED: { http: 410, retry: 'permanent', summary: 'Context token has expired' },
  AGENT_TOKEN_USED: { http: 409, retry: 'permanent', summary: 'Context token was already used (single use)' },
  AGENT_TOKEN_WRONG_FLOW: { http: 403, retry: 'permanent', summary: 'Context token was issued for another flow' },
  TWILIO_REST_ERROR: {
    http: 502,
    retry: 'permanent',
    summary: "Twilio's REST API refused the request; details.twilioCode has Twilio's code",
  },
  AGENT_WEBHOOK_REFUSED: {
    http: 502,
    retry: 'permanent',
    summary: "The contact centre's webhook refused the event (a 4xx other than 408 and 429)",
  },
  AGENT_WEBHOOK_UNAVAILABLE: {
    http: 503,
    retry: 'retry',
    summary: "The contact centre's webhook did not answer, or answered 408, 429 or 5xx",
  },
  // --- operator console and flow admin API ---
  FLOW_CONFLICT: {
    http: 409,
    retry: 'permanent',
    summary: 'The flow changed since it was read (another save, publish or edit on disk)',
  },
  FLOW_DRAFT_INVALID: { http: 422, retry: 'permanent', summary: 'The flow text is invalid and was not published' },
  FLOW_REVISION_UNKNOWN: { http: 404, retry: 'permanent', summary: 'No such revision (or no draft) of that flow' },
  FLOW_TOO_LARGE: { http: 413, retry: 'permanent', summary: 'The flow text is larger than the admin API accepts' },
  FLOW_TESTS_FAILED: {
    http: 422,
    retry: 'permanent',
    summary: "The draft's flow tests fail; not published without a reason to override",
  },
  FLOW_UNREADABLE: {
    http: 422,
    retry: 'permanent',
    summary: 'The flow text is not YAML bootline can read (characters, nesting, syntax, aliases); nothing was stored',
  },
  SIM_CALL_UNKNOWN: { http: 404, retry: 'permanent', summary: 'No simulated call with that id (ended or expired)' },
  CONSOLE_LOGIN_THROTTLED: {
    http: 429,
    retry: 'permanent',
    summary: 'Too many failed console logins under this name from this address; wait and try again',
  },
  // --- doors: self-service page, point-of-sale and bulk API, network events ---
  BOOTSTRAP_OPTION_UNSUPPORTED: {
    http: 422,
    retry: 'permanent',
    summary: 'This deployment cannot push that profile or SEC method (details.supported lists what it can)',
  },
  NUMBER_BLOCKED: {
    http: 403,
    retry: 'permanent',
    summary: 'A network signal (SIM swap) blocks bootstraps to this number for now',
  },
  IDEMPOTENCY_KEY_REUSED: {
    http: 422,
    retry: 'permanent',
    summary: 'The Idempotency-Key was used for a different request',
  },
  IDEMPOTENCY_IN_PROGRESS: {
    http: 409,
    retry: 'retry',
    summary: 'A request with this Idempotency-Key is still being answered',
  },
  EVENT_INVALID: { http: 400, retry: 'permanent', summary: 'Not a valid CloudEvents 1.0 event for this sink' },
  BATCH_NOT_FOUND: { http: 404, retry: 'permanent', summary: 'No batch with that id' },
  BATCH_TOO_LARGE: { http: 413, retry: 'permanent', summary: 'A batch has more rows than the API accepts (100,000)' },
  BATCH_REJECTED: {
    http: 422,
    retry: 'permanent',
    summary: 'The batch has invalid rows and onInvalid=reject: nothing was pushed',
  },
  CSRF_INVALID: { http: 403, retry: 'permanent', summary: 'The form was not sent from this site (CSRF token)' },
  CHALLENGE_FAILED: {
    http: 403,
    retry: 'permanent',
    summary: 'The proof-of-work challenge was required and is missing, wrong, expired or used',
  },
  // --- lifecycle: intake, DM session signals, outbound events ---
  BOOTSTRAP_ID_CONFLICT: {
    http: 409,
    retry: 'permanent',
    summary: 'A bootstrap with that id already exists for another number',
  },
  SIGNATURE_INVALID: {
    http: 401,
    retry: 'permanent',
    summary: "A signed request's signature or timestamp is missing, wrong or outside ±300 s",
  },
  SIGNATURE_REPLAYED: {
    http: 409,
    retry: 'permanent',
    summary: 'That signed request was already accepted once (replay refused)',
  },
  EVENT_SUBSCRIBER_REFUSED: {
    http: 502,
    retry: 'permanent',
    summary: 'An event subscriber refused the event (a 4xx other than 408 and 429)',
  },
  EVENT_SUBSCRIBER_UNAVAILABLE: {
    http: 503,
    retry: 'retry',
    summary: 'An event subscriber did not answer, or answered 408, 429 or 5xx',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class BootlineError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BootlineError';
    this.code = code;
    this.details = Object.freeze({ ...details });
  }

  get http(): number {
    return ERROR_CATALOGUE[this.code].http;
  }

  get retry(): RetrySemantics {
    return ERROR_CATALOGUE[this.code].retry;
  }
}

/** A codec error that points at a byte: `offset` is 0-based into the buffer being parsed. */
export function codecError(
  code: ErrorCode,
  message: string,
  offset: number,
  extra: Record<string, unknown> = {},
): BootlineError {
  return new BootlineError(code, `${message} (at byte offset ${offset})`, { offset, ...extra });
}

export function isBootlineError(err: unknown, code?: ErrorCode): err is BootlineError {
  return err instanceof BootlineError && (code === undefined || err.code === code);
}
