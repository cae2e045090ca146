// Stands in for codemirror-json-schema's Markdown renderer (markdown-it with shiki, ~600 kB):
// the flow schema's descriptions are plain sentences, so escaped text is all hover and
// completion need. The bundler (src/tooling/bundle.mjs) points the library's import here.

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `code` spans stay code; everything else is text. */
export function renderMarkdown(markdown: string, inline = true): string {
  const html = escapeHtml(markdown).replace(/`([^`]+)`/g, '<code>$1</code>');
  return inline ? html : `<p>${html}</p>`;
}
