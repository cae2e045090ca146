import { z } from 'zod';
import { RETRY_BRANCH_SCHEMA } from '../flow.js';

/** Fields every input step has: Twilio Gather timeout, tries, and the three explicit branches. */
export const INPUT_FIELDS = {
  prompt: z.string(),
  timeout: z.number().int().min(1).max(30).default(8),
  maxAttempts: z.number().int().min(1).max(5).default(3),
  onNoInput: RETRY_BRANCH_SCHEMA,
  onInvalid: RETRY_BRANCH_SCHEMA,
  onMaxAttempts: z.string(),
} as const;
