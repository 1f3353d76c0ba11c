/** The `#rrggbb` colour, or a neutral grey for anything else (the colour is shown, never trusted as CSS). */
export function safeColor(color: string): string {
  return /^#[0-9a-fA-F]{6}$/.test(color) ? color : '#909399';
}

/** Black or white text, whichever reads better on the label's colour (WCAG relative luminance). */
export function textOn(color: string): '#000000' | '#ffffff' {
  const hex = safeColor(color).slice(1);
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
  return luminance > 0.179 ? '#000000' : '#ffffff';
}
