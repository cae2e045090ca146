import assert from 'node:assert/strict';
import { test } from 'node:test';
import express from 'express';
import request from 'supertest';
import twilio from 'twilio';
import { createListener } from '../../src/app/http.js';
import { silentLogger } from '../../src/platform/logger.js';
import { requireTwilioSignature, twilioSignatureValid } from '../../src/twilio/signature.js';
import type { VoiceEngine } from '../../src/voice/engine.js';
import { voiceRoutes } from '../../src/voice/http/webhooks.js';

// Known-answer vector from Twilio's webhook security docs
// (twilio.com/docs/usage/webhooks/webhooks-security; re-computed with HMAC-SHA1): token 12345 over this URL and params.
const DOC_TOKEN = '12345';
const DOC_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const DOC_PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+12349013030',
  Digits: '1234',
  From: '+12349013030',
  To: '+18005551212',
};
const DOC_SIG = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';

function app() {
  const a = express();
  a.use(express.urlencoded({ extended: false }));
  a.use(requireTwilioSignature({ authToken: DOC_TOKEN, publicBaseUrl: 'https://mycompany.com' }));
  a.post('/myapp.php', (_req, res) => {
    res.send('ok');
  });
  return a;
}

test('the documented vector is accepted against the configured public URL', async () => {
  assert.equal(twilio.getExpectedTwilioSignature(DOC_TOKEN, DOC_URL, DOC_PARAMS), DOC_SIG);
  const res = await request(app())
    .post('/myapp.php?foo=1&bar=2')
    .set('X-Twilio-Signature', DOC_SIG)
    .type('form')
    .send(DOC_PARAMS);
  assert.equal(res.status, 200);
});

test('a missing, tampered or wrong-host signature is refused with 403', async () => {
  const post = () => request(app()).post('/myapp.php?foo=1&bar=2').type('form');
  assert.equal((await post().send(DOC_PARAMS)).status, 403);
  assert.equal(
    (
      await post()
        .set('X-Twilio-Signature', DOC_SIG)
        .send({ ...DOC_PARAMS, Digits: '1235' })
    ).status,
    403,
  );
  const otherHostSig = twilio.getExpectedTwilioSignature(
    DOC_TOKEN,
    'https://attacker.example/myapp.php?foo=1&bar=2',
    DOC_PARAMS,
  );
  // The Host header is ignored: signing for the attacker's host cannot pass, whatever Host says.
  assert.equal(
    (await post().set('Host', 'attacker.example').set('X-Twilio-Signature', otherHostSig).send(DOC_PARAMS)).status,
    403,
  );
  // http vs https matters (the docs: the https signature does not validate against http://).
  const httpSig = twilio.getExpectedTwilioSignature(
    DOC_TOKEN,
    'http://mycompany.com/myapp.php?foo=1&bar=2',
    DOC_PARAMS,
  );
  assert.equal((await post().set('X-Twilio-Signature', httpSig).send(DOC_PARAMS)).status, 403);
});

test('the query string is part of what is signed', async () => {
  const res = await request(app())
    .post('/myapp.php?foo=1&bar=3')
    .set('X-Twilio-Signature', DOC_SIG)
    .type('form')
    .send(DOC_PARAMS);
  assert.equal(res.status, 403);
});

test('strict by default: a signature over the URL with its port removed, or a default port added, is refused', () => {
  const sign = (url: string) => twilio.getExpectedTwilioSignature(DOC_TOKEN, url, DOC_PARAMS);
  const path = '/voice/incoming?flow=bootstrap';
  const cases: Array<[base: string, signedOver: string, either: boolean]> = [
    ['https://hotline.example.com:8443', 'https://hotline.example.com', true], // any port dropped: another service
    ['https://hotline.example.com', 'https://hotline.example.com:443', true],
    ['https://hotline.example.com:443', 'https://hotline.example.com', true],
    ['http://hotline.example.com', 'http://hotline.example.com:80', true],
    ['https://hotline.example.com', 'https://hotline.example.com:8443', false], // a port is never made up
  ];
  for (const [base, signedOver, either] of cases) {
    const sig = sign(signedOver + path);
    const keys = { authToken: DOC_TOKEN, publicBaseUrl: base };
    assert.equal(twilioSignatureValid(keys, path, DOC_PARAMS, sig), false, `strict: ${base} vs ${signedOver}`);
    assert.equal(
      twilioSignatureValid({ ...keys, signaturePorts: 'strict' }, path, DOC_PARAMS, sig),
      false,
      `explicit strict: ${base} vs ${signedOver}`,
    );
    assert.equal(
      twilioSignatureValid({ ...keys, signaturePorts: 'either' }, path, DOC_PARAMS, sig),
      either,
      `either: ${base} vs ${signedOver}`,
    );
    assert.equal(twilioSignatureValid(keys, path, DOC_PARAMS, sign(base + path)), true, `exact: ${base}`);
  }
});

test('the webhook routes check signatures strictly unless told TWILIO_SIGNATURE_PORTS=either', async () => {
  const params = { CallSid: `CA${'b'.repeat(32)}`, From: '+447400000001' };
  const path = '/voice/status';
  const sig = twilio.getExpectedTwilioSignature(DOC_TOKEN, `https://hotline.example.com${path}`, params);
  const status = async (signaturePorts?: 'strict' | 'either') => {
    const voice = voiceRoutes({
      engine: { ended: async () => undefined } as unknown as VoiceEngine,
      logger: silentLogger(),
      authToken: DOC_TOKEN,
      publicBaseUrl: 'https://hotline.example.com:8443',
      defaultFlowId: 'bootstrap',
      ...(signaturePorts ? { signaturePorts } : {}),
    });
    const web = createListener(express(), voice);
    return (await request(web).post(path).set('X-Twilio-Signature', sig).type('form').send(params)).status;
  };
  assert.equal(await status(), 403);
  assert.equal(await status('strict'), 403);
  assert.equal(await status('either'), 204);
});
