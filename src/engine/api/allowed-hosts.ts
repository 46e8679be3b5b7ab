/**
 * Which requests `dgs serve` answers, judged by their Host and Origin headers (docs/studio.md,
 * "Security"). The Host must name this server exactly — 127.0.0.1, localhost or [::1], or a name given
 * with --allow-host — with its port, so a page of another site whose name was re-pointed at this
 * machine (DNS rebinding) is refused. A request that carries an Origin must come from the studio's own
 * page: the origin the Host names.
 */
export const LOOPBACK_NAMES: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** Whether `host` (a --host address) listens on loopback only. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK_NAMES.includes(h) || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** A host name a user may allow: letters, digits, dots and dashes, or an IPv6 address in brackets. */
export function validHostName(name: string): boolean {
  return (
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(name) ||
    /^\[[0-9a-f:.]+\]$/i.test(name)
  );
}

/** A Host header split into a lower-case name and a port (80 when absent), or null when it is not one. */
export function parseHostHeader(header: string | undefined): { name: string; port: number } | null {
  if (!header) return null;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(header);
  if (!m) return null;
  return { name: m[1].toLowerCase(), port: m[2] === undefined ? 80 : Number(m[2]) };
}

export interface HostPolicy {
  /** Lower-case names the Host header may carry. */
  names: ReadonlySet<string>;
  port: number;
}

export function hostPolicy(allowHosts: readonly string[], port: number): HostPolicy {
  return { names: new Set([...LOOPBACK_NAMES, ...allowHosts].map((n) => n.toLowerCase())), port };
}

/** The request's own origin (http://name:port) when its Host is allowed, else null. */
export function allowedOrigin(policy: HostPolicy, hostHeader: string | undefined): string | null {
  const host = parseHostHeader(hostHeader);
  if (!host || !policy.names.has(host.name) || host.port !== policy.port) return null;
  return `http://${host.name}:${host.port}`;
}

/** An Origin header, when there is one, must be the page's own origin (default port spelt or not). */
export function sameOrigin(originHeader: string | undefined, own: string): boolean {
  if (originHeader === undefined) return true;
  let origin: URL;
  try {
    origin = new URL(originHeader);
  } catch {
    return false;
  }
  if (origin.protocol !== 'http:' || origin.username || origin.password) return false;
  const port = origin.port === '' ? 80 : Number(origin.port);
  return `http://${origin.hostname.toLowerCase()}:${port}` === own;
}
