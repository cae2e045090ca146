/**
 * Which Twilio <Say> voice speaks which language. Twilio refuses (and the caller hears an
 * error) when a voice is paired with a language it does not speak, so flows are checked
 * against this table at load.
 *
 * Sources: Amazon Polly "Available voices" (docs.aws.amazon.com/polly/latest/dg/available-voices.html),
 * Twilio <Say> docs (twilio.com/docs/voice/twiml/say: Polly.<Name>, Polly.<Name>-Neural,
 * Google.<lang>-<model>-<letter>, basic man/woman). S = standard engine, N = neural.
 */
const POLLY: Readonly<Record<string, readonly [language: string, engines: 'S' | 'N' | 'SN']>> = {
  Joanna: ['en-US', 'SN'],
  Matthew: ['en-US', 'SN'],
  Salli: ['en-US', 'SN'],
  Kimberly: ['en-US', 'SN'],
  Kendra: ['en-US', 'SN'],
  Joey: ['en-US', 'SN'],
  Justin: ['en-US', 'SN'],
  Ivy: ['en-US', 'SN'],
  Kevin: ['en-US', 'N'],
  Ruth: ['en-US', 'N'],
  Stephen: ['en-US', 'N'],
  Danielle: ['en-US', 'N'],
  Gregory: ['en-US', 'N'],
  Amy: ['en-GB', 'SN'],
  Emma: ['en-GB', 'SN'],
  Brian: ['en-GB', 'SN'],
  Arthur: ['en-GB', 'N'],
  Nicole: ['en-AU', 'S'],
  Russell: ['en-AU', 'S'],
  Olivia: ['en-AU', 'N'],
  Aditi: ['en-IN', 'S'],
  Raveena: ['en-IN', 'S'],
  Kajal: ['en-IN', 'N'],
  Niamh: ['en-IE', 'N'],
  Aria: ['en-NZ', 'N'],
  Ayanda: ['en-ZA', 'N'],
  Lupe: ['es-US', 'SN'],
  Penelope: ['es-US', 'S'],
  Miguel: ['es-US', 'S'],
  Pedro: ['es-US', 'N'],
  Conchita: ['es-ES', 'S'],
  Lucia: ['es-ES', 'SN'],
  Enrique: ['es-ES', 'S'],
  Sergio: ['es-ES', 'N'],
  Mia: ['es-MX', 'SN'],
  Andres: ['es-MX', 'N'],
  Celine: ['fr-FR', 'S'],
  Lea: ['fr-FR', 'SN'],
  Mathieu: ['fr-FR', 'S'],
  Remi: ['fr-FR', 'N'],
  Chantal: ['fr-CA', 'S'],
  Gabrielle: ['fr-CA', 'N'],
  Liam: ['fr-CA', 'N'],
  Marlene: ['de-DE', 'S'],
  Vicki: ['de-DE', 'SN'],
  Hans: ['de-DE', 'S'],
  Daniel: ['de-DE', 'N'],
  Carla: ['it-IT', 'S'],
  Bianca: ['it-IT', 'SN'],
  Giorgio: ['it-IT', 'S'],
  Adriano: ['it-IT', 'N'],
  Vitoria: ['pt-BR', 'SN'],
  Camila: ['pt-BR', 'SN'],
  Ricardo: ['pt-BR', 'S'],
  Thiago: ['pt-BR', 'N'],
  Ines: ['pt-PT', 'SN'],
  Cristiano: ['pt-PT', 'S'],
  Lotte: ['nl-NL', 'S'],
  Ruben: ['nl-NL', 'S'],
  Laura: ['nl-NL', 'N'],
};

/** Twilio's basic voices speak only these (and support no SSML). */
const BASIC_LANGUAGES = new Set(['en-US', 'en-GB', 'es-ES', 'fr-FR', 'de-DE']);

/** Why `voice` cannot speak `language`, or null when the pair is valid. */
export function voiceProblem(voice: string, language: string): string | null {
  if (voice === 'man' || voice === 'woman') {
    return BASIC_LANGUAGES.has(language) ? null : `voice "${voice}" speaks only ${[...BASIC_LANGUAGES].join(', ')}`;
  }
  const google = /^Google\.([a-z]{2,3}-[A-Z]{2})-[A-Za-z0-9]+-[A-Z]$/.exec(voice);
  if (google) return google[1] === language ? null : `voice "${voice}" speaks ${google[1]}, not ${language}`;
  const polly = /^Polly\.([A-Za-z]+)(-Neural)?$/.exec(voice);
  const entry = polly ? POLLY[polly[1]!] : undefined;
  if (!polly || !entry)
    return `unknown voice "${voice}" (use Polly.<Name>, Polly.<Name>-Neural, Google.<lang>-<model>-<X>, man or woman)`;
  const engine = polly[2] ? 'N' : 'S';
  if (!entry[1].includes(engine))
    return (
      `voice "${polly[1]}" has no ${engine === 'N' ? 'neural' : 'standard'} engine; ` +
      `use ${engine === 'N' ? `Polly.${polly[1]}` : `Polly.${polly[1]}-Neural`}`
    );
  return entry[0] === language ? null : `voice "${voice}" speaks ${entry[0]}, not ${language}`;
}

/** Polly and Google voices read SSML (<say-as>, <break>); the basic voices read it aloud as text. */
export function supportsSsml(voice: string): boolean {
  return voice.startsWith('Polly.') || voice.startsWith('Google.');
}
