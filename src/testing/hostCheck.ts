/**
 * The `Host` headers a local development server should answer: its own address and the loopback
 * names, on its own port. Anything else is a page on another site whose name resolves here (DNS
 * rebinding) or a misdirected request, and gets nothing. Used by the emulator and the demo.
 */
export function allowedHosts(listenHost: string, port: number): (host: string | undefined) => boolean {
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  if (listenHost !== '0.0.0.0' && listenHost !== '::') names.add(listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost);
  const allowed = new Set([...names].map((n) => `${n}:${port}`.toLowerCase()));
  return (host) => typeof host === 'string' && allowed.has(host.toLowerCase());
}
