import type { StepModule } from '../context.js';
import type { StepBase } from '../flow.js';
import { confirmStep } from './confirm.js';
import { enqueueBootstrapStep } from './enqueue-bootstrap.js';
import { gatherNumberStep } from './gather-number.js';
import { hangupStep } from './hangup.js';
import { sayStep } from './say.js';
import { speakPinStep } from './speak-pin.js';

/** Step type → module. Adding a step type is one file plus one line here. */
const ALL: unknown[] = [sayStep, gatherNumberStep, confirmStep, speakPinStep, enqueueBootstrapStep, hangupStep];

export const STEP_MODULES: ReadonlyMap<string, StepModule<StepBase>> = new Map(
  (ALL as StepModule<StepBase>[]).map((m) => [m.type, m]),
);
