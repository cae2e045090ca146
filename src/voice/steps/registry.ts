import type { StepModule } from '../context.js';
import type { StepBase } from '../flow.js';
import { confirmStep } from './confirm.js';
import { enqueueBootstrapStep } from './enqueue-bootstrap.js';
import { gatherNumberStep } from './gather-number.js';
import { gotoStep } from './goto.js';
import { hangupStep } from './hangup.js';
import { menuStep } from './menu.js';
import { sayStep } from './say.js';
import { sendCodeStep } from './send-code.js';
import { speakPinStep } from './speak-pin.js';
import { transferCodeStep } from './transfer-code.js';
import { transferToAgentStep } from './transfer-to-agent.js';
import { verifyCodeStep } from './verify-code.js';
import { waitForDeliveryStep } from './wait-for-delivery.js';
import { waitForEnrolmentStep } from './wait-for-enrolment.js';

/** Step type → module. Adding a step type is one file plus one line here. */
const ALL: unknown[] = [
  sayStep,
  menuStep,
  gatherNumberStep,
  confirmStep,
  sendCodeStep,
  verifyCodeStep,
  speakPinStep,
  enqueueBootstrapStep,
  waitForDeliveryStep,
  waitForEnrolmentStep,
  transferToAgentStep,
  hangupStep,
  gotoStep,
  transferCodeStep,
];

export const STEP_MODULES: ReadonlyMap<string, StepModule<StepBase>> = new Map(
  (ALL as StepModule<StepBase>[]).map((m) => [m.type, m]),
);
