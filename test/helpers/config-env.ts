/**
 * The smallest environment `loadConfig` accepts: the settings a deployment must give, with
 * syntactically valid stand-in values. Tests add what they exercise on top of it.
 */
export const MINIMAL_ENV: Readonly<Record<string, string>> = Object.freeze({
  TWILIO_AUTH_TOKEN: 'abcdefgh12345678',
  SMPP_URL: 'smpp://esme:secret@smsc.example.net:2775',
  DM_SERVER_URL: 'https://dm.example.com/dm',
  DM_SERVER_ID: 'com.example.dm',
  DATA_ENCRYPTION_KEY: 'ab'.repeat(32),
});
