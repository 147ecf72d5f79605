import { z } from 'zod';

// Zod compiles object parsers with `new Function` when it may, and finds out by trying one; the
// server's Content-Security-Policy forbids eval, so that probe alone is reported as a violation.
z.config({ jitless: true });
