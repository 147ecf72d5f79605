// Zod compiles object parsers with `new Function` when it may, and finds out by trying one as soon
// as the first object schema is built; the server's Content-Security-Policy forbids eval, so that
// probe alone is reported as a violation. Zod takes its config from `globalThis.__zod_globalConfig`
// when it loads. This module sets it there without importing zod, and is a chunk of its own
// (vite.config.ts) that the entry imports first: the chunks it imports next build the engine's
// schemas as they load, before any other code of main.tsx runs.

declare global {
  var __zod_globalConfig: Record<string, unknown> | undefined;
}

globalThis.__zod_globalConfig = { ...globalThis.__zod_globalConfig, jitless: true };

export {};
