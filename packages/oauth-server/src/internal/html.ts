/** Escapes a value for HTML text and double-quoted attributes: the only way values reach a page. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

/** A fragment of trusted markup built by {@link html}; plain strings are escaped when interpolated. */
export interface SafeHtml {
  readonly safe: string
}

function render(value: unknown): string {
  if (value === undefined || value === null || value === false) return ''
  if (Array.isArray(value)) return value.map(render).join('')
  if (typeof value === 'object' && 'safe' in value) return (value as SafeHtml).safe
  return escapeHtml(value)
}

/** Tagged template: every interpolated value is escaped unless it is itself a {@link SafeHtml}. */
export function html(strings: TemplateStringsArray, ...values: readonly unknown[]): SafeHtml {
  let out = strings[0] ?? ''
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '')
  })
  return { safe: out }
}

/** Path of the stylesheet the pages link (CSP `style-src 'self'`, no inline style or script). */
export const stylesheetPath = '/oauth2/assets/pierre.css'

/** The whole page around `body`. */
export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="stylesheet" href="${stylesheetPath}">
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`.safe
}

/** The stylesheet: readable, high contrast, visible focus. */
export const stylesheet = `:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; display: flex; justify-content: center; }
main { max-width: 28rem; width: 100%; padding: 2rem 1rem; }
h1 { font-size: 1.5rem; }
label { display: block; margin-top: 1rem; font-weight: 600; }
input, select { display: block; width: 100%; box-sizing: border-box; margin-top: .25rem; padding: .5rem; font-size: 1rem; }
button { margin-top: 1.25rem; margin-right: .5rem; padding: .6rem 1.2rem; font-size: 1rem; cursor: pointer; }
:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
.error { border-left: 4px solid #c5221f; padding: .5rem .75rem; }
.note { font-size: .9rem; opacity: .85; }
ul { padding-left: 1.25rem; }
`
