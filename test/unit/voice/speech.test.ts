import assert from 'node:assert/strict';
import { test } from 'node:test';
import twilio from 'twilio';
import { parseTwiml, spokenText } from '../../../src/console/simulator/twiml.js';
import { fillPrompt, pinGroups, sayPrompt } from '../../../src/voice/speech.js';

const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const NUMBER = { digits: ['07400', '123456'] };

function render(voice: string, language: string, text: string, vars = {}): string {
  const r = new twilio.twiml.VoiceResponse();
  sayPrompt(r, { voice, language }, text, vars);
  return r.toString();
}

test('SSML voices read numbers with say-as digits per group and a break between groups (exact TwiML)', () => {
  assert.equal(
    render('Polly.Amy-Neural', 'en-GB', 'You entered {number}. Press 1.', { number: NUMBER }),
    `${XML}<Response><Say voice="Polly.Amy-Neural" language="en-GB">You entered <say-as interpret-as="digits">07400</say-as>` +
      '<break strength="medium"/><say-as interpret-as="digits">123456</say-as>. Press 1.</Say></Response>',
  );
});

test('basic voices, which read SSML aloud, get spaced digits instead (exact TwiML)', () => {
  assert.equal(
    render('woman', 'en-GB', 'You entered {number}.', { number: NUMBER }),
    `${XML}<Response><Say voice="woman" language="en-GB">You entered 0 7 4 0 0, 1 2 3 4 5 6.</Say></Response>`,
  );
});

test('prompts without digits are one plain Say; text is escaped, never markup', () => {
  assert.equal(
    render('Polly.Amy-Neural', 'en-GB', 'Press <1> & wait.'),
    `${XML}<Response><Say voice="Polly.Amy-Neural" language="en-GB">Press &lt;1&gt; &amp; wait.</Say></Response>`,
  );
});

test('what the simulator hears is the same for SSML and plain rendering', () => {
  for (const voice of ['Polly.Amy-Neural', 'woman']) {
    const said = spokenText(
      parseTwiml(
        render(voice, 'en-GB', 'You entered {number}. PIN {pin}.', {
          number: NUMBER,
          pin: { digits: pinGroups('482173') },
        }),
      ),
    );
    assert.deepEqual(said, ['You entered 0 7 4 0 0, 1 2 3 4 5 6. PIN 4 8 2, 1 7 3.'], voice);
  }
});

test('SMS text fills plain values; PINs are grouped in threes (pairs for four digits)', () => {
  assert.equal(fillPrompt('Your code is {code}.', { code: '048213' }), 'Your code is 048213.');
  assert.equal(fillPrompt('Missing {code}.', {}), 'Missing {code}.');
  assert.deepEqual(pinGroups('482173'), ['482', '173']);
  assert.deepEqual(pinGroups('4821'), ['48', '21']);
  assert.deepEqual(pinGroups('48217391'), ['482', '173', '91']);
});
