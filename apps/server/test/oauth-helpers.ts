import { createServer } from 'node:net'

/** A free TCP port on 127.0.0.1 (the OAuth issuer must name the real port before listening). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/** A browser for the login and consent pages: cookie jar, manual redirects. */
export function createBrowser(base: string) {
  const jar = new Map<string, string>()
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? ''
      const index = pair.indexOf('=')
      if (index > 0) jar.set(pair.slice(0, index), pair.slice(index + 1))
    }
  }
  const cookie = (): Record<string, string> =>
    jar.size === 0 ? {} : { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') }
  return {
    async get(url: string): Promise<Response> {
      const response = await fetch(new URL(url, base), { redirect: 'manual', headers: cookie() })
      remember(response)
      return response
    },
    async post(url: string, form: Record<string, string>): Promise<Response> {
      const response = await fetch(new URL(url, base), {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: new URL(base).origin,
          ...cookie(),
        },
        body: new URLSearchParams(form).toString(),
      })
      remember(response)
      return response
    },
  }
}

function hidden(page: string, name: string): string {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(page)
  if (!match?.[1]) throw new Error(`no hidden field ${name}`)
  return match[1]
}

/** Signs in and allows, as a person would; returns the redirect back to the client. */
export async function signInAndAllow(
  base: string,
  authorizationUrl: string | URL,
  user: { email: string; password: string },
): Promise<URL> {
  const browser = createBrowser(base)
  const start = await browser.get(String(authorizationUrl))
  const toLogin = start.headers.get('location')
  if (start.status !== 302 || toLogin === null) {
    throw new Error(`authorize answered ${start.status}: ${await start.text()}`)
  }
  const loginPage = await (await browser.get(toLogin)).text()
  const login = await browser.post('/oauth2/login', {
    request: hidden(loginPage, 'request'),
    csrf_token: hidden(loginPage, 'csrf_token'),
    email: user.email,
    password: user.password,
  })
  const toConsent = login.headers.get('location')
  if (login.status !== 303 || toConsent === null) throw new Error(`login answered ${login.status}`)
  const consentPage = await (await browser.get(toConsent)).text()
  const consent = await browser.post('/oauth2/consent', {
    request: hidden(consentPage, 'request'),
    csrf_token: hidden(consentPage, 'csrf_token'),
    tenant: hidden(consentPage, 'tenant'),
    decision: 'allow',
  })
  const back = consent.headers.get('location')
  if (consent.status !== 303 || back === null) throw new Error(`consent answered ${consent.status}`)
  return new URL(back)
}
