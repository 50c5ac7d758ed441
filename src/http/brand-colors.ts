/**
 * Text colour for an RP's brand colour. The header keeps the configured colour as its background, since
 * that is what users recognise, and writes on it in white where white reaches WCAG AA (4.5:1), else in
 * black. Black reaches at least 4.58:1 on every colour white fails on, so no brand colour can make the
 * header unreadable and none has to be altered.
 */
export const AA_CONTRAST = 4.5;
const WHITE = '#ffffff';
const BLACK = '#000000';

function channel(hex: string): number {
  const value = parseInt(hex, 16) / 255;
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

/** WCAG 2.1 relative luminance of a `#rrggbb` colour. */
export function luminance(color: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => channel(color.slice(i, i + 2))) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

export function textColorOn(background: string): string {
  return contrastRatio(background, WHITE) >= AA_CONTRAST ? WHITE : BLACK;
}
