/**
 * Every Redis key bootline writes, in one catalogue: no other module spells a key, and the
 * SCAN patterns below are derived from these functions, so a renamed key cannot leave a scan
 * (retention, the console's live calls) looking for the old name.
 *
 * Braces are Redis Cluster hash tags: all keys of one call, one bootstrap or one transfer land
 * in the same slot, so multi-key scripts over them stay legal on a cluster.
 */
export const KEYS = {
  /** A call's state (CallState JSON), keyed by CallSid. */
  call: (callSid: string) => `bl:call:{${callSid}}`,
  /** Tombstone of a call that is over: its webhooks are refused (replay defence). */
  callEnded: (callSid: string) => `bl:call:{${callSid}}:ended`,
  /** A webhook claimed once; holds its TwiML answer for duplicates for a minute. */
  callRequest: (callSid: string, id: string) => `bl:call:{${callSid}}:req:${id}`,
  /** The one-time code sent to verify a number (sealed), and how many were sent on the call. */
  otpCode: (callSid: string) => `bl:otp:{${callSid}}:code`,
  otpCount: (callSid: string) => `bl:otp:{${callSid}}`,
  /** A flow revision a live call still runs (the registry's archive). */
  flowRevision: (flowId: string, revision: string) => `bl:flow:{${flowId}}:${revision}`,
  /** The bootstrap record (hash): status, timestamps, sealed credentials. */
  bootstrap: (id: string) => `bl:bs:{${id}}`,
  bootstrapPin: (id: string) => `bl:bs:{${id}}:pin`,
  bootstrapSegments: (id: string) => `bl:bs:{${id}}:seg`,
  /** Per-segment delivery receipts of one bootstrap: SMSC message id → "state|err|at". */
  bootstrapReceipts: (id: string) => `bl:bs:{${id}}:dlr`,
  /** Which run of the push job may submit this bootstrap's segments now (owner token, short TTL). */
  bootstrapLease: (id: string) => `bl:bs:{${id}}:lease`,
  /** A bootstrap's timeline: JSON events in order, appended by the scripts that make its transitions. */
  bootstrapTimeline: (id: string) => `bl:bs:{${id}}:tl`,
  /** Which bootstrap a DM account (the APPSRV AAUTHNAME the DM server reports) belongs to. */
  dmClient: (clientName: string) => `bl:dmclient:{${clientName}}`,
  /** A DM session signal's signature, seen once: a replay of the same request is refused. */
  dmSignalSeen: (signature: string) => `bl:dmsig:{${signature}}`,
  /** Where an SMSC message id points: "bootstrapId round segmentIndex". */
  smscMessage: (messageId: string) => `bl:smsc:{${messageId}}`,
  /** Bootstrap ids per destination number (E.164), scored by creation time: the status API's lookup. */
  msisdnIndex: (e164: string) => `bl:msisdn:{${e164}}`,
  /** Segments of one text SMS the SMSC already accepted (index → SMSC message id). */
  textSegments: (id: string) => `bl:sms:{${id}}:seg`,
  /** Worker heartbeats (worker id → SMPP bind state JSON): what /readyz reports about the SMSC. */
  workers: () => 'bl:{workers}',
  /** The SMSC's total TPS across every worker: the GCRA's theoretical arrival time. */
  smscTps: () => 'bl:{smsc-tps}',
  /** Console simulated calls by id, scored by last use (same slot as the records). */
  simCalls: () => 'bl:sim:{console}',
  /** One simulated call's record, sealed: its transcript holds what the caller heard (PINs, numbers). */
  simCall: (id: string) => `bl:sim:{console}:${id}`,
  /** An agent transfer (JSON), its single-use context token, and a cold-transfer code. */
  agentTransfer: (id: string) => `bl:agent:xfer:{${id}}`,
  agentTransferToken: (id: string) => `bl:agent:xfer:{${id}}:token`,
  agentCode: (code: string) => `bl:agent:code:{${code}}`,
  /** A call's execution trace: sealed batches of events (one per webhook), and its meta hash (flow, outcome…). */
  trace: (callSid: string) => `bl:trace:{${callSid}}`,
  traceMeta: (callSid: string) => `bl:trace:{${callSid}}:meta`,
  /** Traced calls by start time (epoch ms): the console's list of recent calls. */
  traces: () => 'bl:{traces}',
  /** Failed console logins of one client address and name (an HMAC of both): count and back-off end. */
  consoleLoginFailures: (digest: string) => `bl:login:{${digest}}`,
  /** How a bootstrap was asked for (door, masked actor, reference, profile, SEC, TAC): beside its record. */
  bootstrapOrigin: (id: string) => `bl:bs:{${id}}:origin`,
  /** A number no bootstrap may go to for now (a SIM-swap signal), keyed by an HMAC of the number. */
  numberBlock: (numberHash: string) => `bl:block:{${numberHash}}`,
  /** An Idempotency-Key's request fingerprint and sealed answer (scope = HMAC of the token and the key). */
  idempotency: (scope: string) => `bl:idem:{${scope}}`,
  /** A network event already handled (id per source, hashed): its answer, for duplicates. */
  networkEvent: (eventHash: string) => `bl:netevt:{${eventHash}}`,
  /** A self-service page session: number, code, PIN (sealed), bootstrap id. */
  setupSession: (sid: string) => `bl:setup:{${sid}}`,
  /** A proof-of-work challenge already redeemed (its nonce): one solution, one use. */
  challengeUsed: (nonce: string) => `bl:pow:{${nonce}}`,
  /** Batches by id, scored by creation time (the list the API and console show). */
  batches: () => 'bl:{batches}',
  /** A batch (hash): owner, counts per state, cursor, phase, timestamps. */
  batch: (id: string) => `bl:batch:{${id}}`,
  /** Its rows (row number → sealed JSON), row states, errors, and the number HMACs seen (duplicates). */
  batchRows: (id: string) => `bl:batch:{${id}}:rows`,
  batchStates: (id: string) => `bl:batch:{${id}}:state`,
  /** The rows' PINs (sealed), apart so they can go as soon as every row has been asked for. */
  batchPins: (id: string) => `bl:batch:{${id}}:pins`,
  batchErrors: (id: string) => `bl:batch:{${id}}:err`,
  batchSeen: (id: string) => `bl:batch:{${id}}:seen`,
  /** Rows pushed and not yet final, scored by when to look at their bootstrap again. */
  batchOpen: (id: string) => `bl:batch:{${id}}:open`,
  /** Rows in one state, scored by row number (paging rows?state=…). */
  batchInState: (id: string, state: string) => `bl:batch:{${id}}:st:${state}`,
  /** Bootstrap outcomes per device profile ("<profile>|<outcome>" → count): the per-profile success rates. */
  profileOutcomes: () => 'bl:{stats}:profile-outcomes',
  /** rate-limiter-flexible's key prefix for one limiter (it appends the limited key). */
  rateLimit: (limiter: string) => `bl:rl:${limiter}`,
} as const;

/** SCAN patterns, derived from the catalogue (a glob in place of the hash-tagged id). */
export const SCAN = {
  /** Bootstrap record hashes only: the PIN, segment and receipt keys have a suffix after the tag. */
  bootstraps: KEYS.bootstrap('*'),
  /** Call states only (not their tombstones or request claims). */
  calls: KEYS.call('*'),
  /** Batch hashes only (their rows, states and sets have a suffix after the tag). */
  batches: KEYS.batch('*'),
} as const;

/** BullMQ key prefix; the hash tag keeps each queue's keys in one cluster slot. */
export const QUEUE_PREFIX = '{bl}';
