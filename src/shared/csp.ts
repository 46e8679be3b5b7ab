/**
 * The Content-Security-Policy every page of the studio gets, in Electron (app:// responses) and from
 * `dgs serve`: only our own scripts and styles, images also from data: and blob: URLs (sample images
 * arrive as bytes and are shown through object URLs), requests only to our own origin.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
