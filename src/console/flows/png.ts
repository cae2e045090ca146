import { existsSync, readdirSync } from 'node:fs';
import { BootlineError } from '../../errors.js';

const FONT_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts', '/Library/Fonts', 'C:\\Windows\\Fonts'];
/** Sans-serif families a Debian machine has (fonts-dejavu-core; fonts-liberation comes with chromium). */
const SANS = [
  { dir: '/usr/share/fonts/truetype/dejavu', family: 'DejaVu Sans' },
  { dir: '/usr/share/fonts/truetype/liberation', family: 'Liberation Sans' },
];

/** resvg draws no text without a font; a diagram without its labels is worse than none. */
function systemFontsPresent(): boolean {
  return FONT_DIRS.some((d) => existsSync(d) && readdirSync(d).length > 0);
}

/**
 * The diagram's SVG rasterised by resvg (a Rust SVG renderer shipped as an npm package with
 * its native binary): the same picture, at twice its size for sharp text. Refused with a
 * reason where the machine has no fonts to draw the labels with. resvg (its native binary) is
 * loaded on the first PNG asked for, not by every web process at start.
 */
export async function svgToPng(svg: string): Promise<Buffer> {
  if (!systemFontsPresent())
    throw new BootlineError(
      'BAD_REQUEST',
      'PNG needs a system font to draw the labels (e.g. apt-get install fonts-dejavu-core); ask for SVG instead',
    );
  const family = SANS.find((f) => existsSync(f.dir))?.family;
  const { Resvg } = await import('@resvg/resvg-js');
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    background: '#ffffff',
    font: { loadSystemFonts: true, ...(family ? { defaultFontFamily: family, sansSerifFamily: family } : {}) },
  }).render();
  return png.asPng();
}
