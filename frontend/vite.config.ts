import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { ONE_GRAPHQL_COPY } from './graphql-alias.ts';
import { livenessFilesPlugin } from './liveness-files.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web app's build. `npm start` builds it into frontend/dist when the sources changed and the
 * local runtime serves it; the CDK app deploys the same folder. `npm run dev:web` serves it with
 * hot reload on :5173 against a running `npm start`.
 */
export default defineConfig({
  root,
  // The liveness check's model and WASM files, from npm packages, served with the app (never a CDN).
  plugins: [react(), livenessFilesPlugin(fileURLToPath(new URL('..', import.meta.url)))],
  resolve: {
    alias: [ONE_GRAPHQL_COPY],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The initial bundle must stay under 250 KB gzipped; routes are split with React.lazy. The one
    // larger chunk is the liveness check (Amplify UI's component, TF.js, the streaming client:
    // ~1.1 MB, ~300 KB gzipped), which loads only on the screens that run a check.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    port: 5173,
    // The runtime settings (GraphQL URL, API key) come from the running local stack.
    proxy: { '/config.json': 'http://127.0.0.1:4000' },
  },
});
