/**
 * The query of a composer that starts with `/` (the canned-response trigger), or null when the text is
 * not one: `/hou` -> `hou`; a line break ends it.
 */
export function slashQuery(text: string): string | null {
  if (!text.startsWith('/') || text.includes('\n')) return null;
  return text.slice(1);
}
