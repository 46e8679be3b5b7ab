/**
 * The renderer runs under a Content-Security-Policy without 'unsafe-eval'. Zod probes `new Function`
 * to compile fast parsers; the probe is caught, but a strict CSP still reports it as a violation.
 * Jitless parsing avoids the probe (shapes envelopes are small, so speed does not matter here).
 */
import { z } from 'zod';

z.config({ jitless: true });
