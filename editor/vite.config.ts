import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const server = 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Evaluated before every other chunk: see src/zod-jitless.ts.
        codeSplitting: { groups: [{ name: 'zod-jitless', test: /zod-jitless/, priority: 100 }] },
      },
    },
  },
  server: {
    proxy: {
      '/api': server,
      '/ready': server,
      '/health': server,
      '/docs': server,
    },
  },
});
