/**
 * aws-appsync-subscription-link's one Node-only call, `Buffer.from(header).toString('base64')` for
 * the real-time auth header, made to work in a browser (the web app's link and the API console).
 */
export function provideBase64Buffer(): void {
  const scope = globalThis as { Buffer?: unknown };
  scope.Buffer ??= {
    from: (text: string) => ({ toString: () => btoa(String.fromCharCode(...new TextEncoder().encode(text))) }),
  };
}
