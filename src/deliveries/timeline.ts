/**
 * Owns a bootstrap's timeline: every step of its life, in order, with its time. The Lua
 * scripts that make a transition append its event in the same script (one hash tag, one
 * slot), so the timeline and the record never disagree, and a retried write appends nothing
 * twice. Each event has a sequence number (1, 2, …); the state events among them are what
 * the outbound event stream publishes (events/publish.ts), named by that number.
 */
import { STATE_EVENTS, type BootstrapState, type FailureCause } from './lifecycle.js';

export const TIMELINE_EVENTS = {
  requested: 'A door accepted the request (door, masked actor, reference)',
  verified: 'The door proved the requester holds the number (seeded by the door with its time)',
  'pin-issued': 'The PIN was spoken, shown or generated (seeded by the door, or by the intake)',
  queued: 'Waiting for the push run (round 1, or an operator retry: `retry: true`)',
  'dm-registered': "The DM server accepted the device's credentials",
  'segment-submitted': 'The SMSC accepted one segment (`segment`, `smscId`)',
  submitted: 'Every segment accepted (`deviceProfile`: the device profile the message was built for)',
  'segment-delivered': 'A DELIVRD receipt for one segment (`segment`, `smscId`)',
  'segment-failed': 'A failing receipt for one segment (`state`, `err`)',
  delivered: 'Every segment delivered',
  enrolled: "The DM server reported the device's session (`reportedAt`: the DM server's time)",
  failed: 'Ended: `cause` (a failure cause) and `detail`',
  expired: 'Ended: the SMSC gave up on a segment',
  'not-enrolled': 'Ended: no DM session within the window',
} as const;

export type TimelineEventName = keyof typeof TIMELINE_EVENTS;

/** One timeline entry as stored (JSON) and served. */
export interface TimelineEvent {
  readonly seq: number;
  readonly at: string;
  readonly event: TimelineEventName;
  readonly round?: number;
  readonly door?: string;
  readonly by?: string;
  readonly reference?: string;
  readonly segment?: number;
  readonly smscId?: string;
  readonly state?: string;
  readonly err?: string;
  readonly cause?: FailureCause;
  readonly detail?: string;
  readonly reportedAt?: string;
  readonly retry?: boolean;
  /** submitted: the device profile the message was built for. */
  readonly deviceProfile?: string;
}

/** An event a door seeds when it asks for a bootstrap (things that happened before it asked). */
export interface SeedEvent {
  readonly event: 'verified' | 'pin-issued';
  readonly at: string;
  readonly detail?: string;
}

export function isStateEvent(e: TimelineEvent): e is TimelineEvent & { event: BootstrapState } {
  return STATE_EVENTS.has(e.event);
}

export function parseTimeline(raw: readonly string[]): TimelineEvent[] {
  return raw.map((s) => JSON.parse(s) as TimelineEvent);
}

/**
 * Lua: `tl(key, at, event, fields)` appends one event with the next sequence number and
 * keeps the list as long as the record. Prepended to every script that appends.
 */
export const TIMELINE_LUA = `
local function tl(key, at, event, fields)
  fields = fields or {}
  fields.seq = redis.call('LLEN', key) + 1
  fields.at = at
  fields.event = event
  redis.call('RPUSH', key, cjson.encode(fields))
  redis.call('EXPIRE', key, 2592000)
  return fields.seq
end
`;
