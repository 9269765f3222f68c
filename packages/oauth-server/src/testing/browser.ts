/**
 * A scripted browser for the login and consent pages, for tests of this server or of an application
 * that mounts it (no DOM: it reads the hidden form fields and follows redirects by hand).
 */

/** A minimal browser: a cookie jar and manual redirects, so tests see every hop. */
export function createTestBrowser(base: string) {
  const jar = new Map<string, string>()
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const index = (pair ?? '').indexOf('=')
      if (index > 0) jar.set((pair as string).slice(0, index), (pair as string).slice(index + 1))
    }
  }
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
  return {
    jar,
    async get(url: string): Promise<Response> {
      const response = await fetch(new URL(url, base), {
        redirect: 'manual',
        headers: jar.size > 0 ? { cookie: cookieHeader() } : {},
      })
      remember(response)
      return response
    },
    async post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
      const response = await fetch(new URL(url, base), {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(jar.size > 0 ? { cookie: cookieHeader() } : {}),
          ...headers,
        },
        body: new URLSearchParams(form).toString(),
      })
      remember(response)
      return response
    },
  }
}

/** The value of a hidden input in a page. */
export function hiddenField(page: string, name: string): string {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(page)
  if (!match?.[1]) throw new Error(`no hidden field ${name} in page`)
  return match[1].replaceAll('&amp;', '&')
}

/**
 * Follows an authorization URL like a person would: login form (email, password), consent
 * (Allow), and returns the final redirect to the client.
 */
export async function authorizeInBrowser(
  browser: TestBrowser,
  authorizationUrl: string,
  user: { email: string; password: string; tenant?: string; decision?: 'allow' | 'deny' },
): Promise<URL> {
  let response = await browser.get(authorizationUrl)
  let location = response.headers.get('location')
  if (response.status !== 302 || location === null) {
    throw new Error(`authorize answered ${response.status}: ${await response.text()}`)
  }
  if (location.startsWith('/oauth2/login')) {
    const page = await (await browser.get(location)).text()
    response = await browser.post('/oauth2/login', {
      request: hiddenField(page, 'request'),
      csrf_token: hiddenField(page, 'csrf_token'),
      email: user.email,
      password: user.password,
    })
    location = response.headers.get('location')
    if (response.status !== 303 || location === null) {
      throw new Error(`login answered ${response.status}`)
    }
  }
  if (location.startsWith('/oauth2/consent')) {
    const page = await (await browser.get(location)).text()
    const form: Record<string, string> = {
      request: hiddenField(page, 'request'),
      csrf_token: hiddenField(page, 'csrf_token'),
      decision: user.decision ?? 'allow',
    }
    form.tenant = user.tenant ?? hiddenField(page, 'tenant')
    response = await browser.post('/oauth2/consent', form)
    location = response.headers.get('location')
    if (response.status !== 303 || location === null) {
      throw new Error(`consent answered ${response.status}`)
    }
  }
  return new URL(location)
}

/** The browser {@link createTestBrowser} returns. */
export type TestBrowser = ReturnType<typeof createTestBrowser>
