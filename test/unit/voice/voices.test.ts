import assert from 'node:assert/strict';
import { test } from 'node:test';
import { supportsSsml, voiceProblem } from '../../../src/voice/voices.js';

test('valid voice/language pairs pass', () => {
  for (const [voice, language] of [
    ['Polly.Joanna', 'en-US'],
    ['Polly.Joanna-Neural', 'en-US'],
    ['Polly.Amy-Neural', 'en-GB'],
    ['Polly.Lucia-Neural', 'es-ES'],
    ['Polly.Lupe', 'es-US'],
    ['Polly.Kevin-Neural', 'en-US'],
    ['Google.es-ES-Neural2-A', 'es-ES'],
    ['man', 'en-US'],
    ['woman', 'de-DE'],
  ])
    assert.equal(voiceProblem(voice!, language!), null, `${voice} ${language}`);
});

test('invalid pairs are refused with a reason an operator can act on', () => {
  assert.match(voiceProblem('Polly.Joanna', 'es-ES')!, /speaks en-US, not es-ES/);
  assert.match(voiceProblem('Polly.Kevin', 'en-US')!, /no standard engine; use Polly\.Kevin-Neural/);
  assert.match(voiceProblem('Polly.Nicole-Neural', 'en-AU')!, /no neural engine; use Polly\.Nicole/);
  assert.match(voiceProblem('Google.en-US-Standard-C', 'en-GB')!, /speaks en-US, not en-GB/);
  assert.match(voiceProblem('woman', 'ja-JP')!, /speaks only/);
  assert.match(voiceProblem('alice', 'en-US')!, /unknown voice/);
  assert.match(voiceProblem('Polly.Nobody', 'en-US')!, /unknown voice/);
});

test('only Polly and Google voices get SSML', () => {
  assert.equal(supportsSsml('Polly.Amy-Neural'), true);
  assert.equal(supportsSsml('Google.en-GB-Neural2-A'), true);
  assert.equal(supportsSsml('woman'), false);
});
