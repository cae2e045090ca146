import { existsSync, readdirSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { BootlineError } from '../../errors.js';

const FONT_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts', '/Library/Fonts', 'C:\\Windows\\Fonts'];

/** resvg draws no text without a font; a diagram without its labels is worse than none. */
function systemFontsPresent(): boolean {
  return FONT_DIRS.some((d) => existsSync(d) && readdirSync(d).length > 0);
}

/**
 * The diagram's SVG rasterised by resvg (a Rust SVG renderer shipped as an npm package with
 * its native binary): the same picture, at twice its size for sharp text. Refused with a
 * reason where the machine has no fonts to draw the labels with.
 */
export function svgToPng(svg: string): Buffer {
  if (!systemFontsPresent())
    throw new BootlineError(
      'BAD_REQUEST',
      'PNG needs a system font to draw the labels (e.g. apt-get install fonts-dejavu-core); ask for SVG instead',
    );
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  }).render();
  return png.asPng();
}
