import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { ONE_GRAPHQL_COPY } from '../graphql-alias.ts';

/**
 * The API console's build (GraphiQL at `/local`): a page of its own, apart from the web app, so
 * that the app's first visit never carries it and the CDK app never deploys it. `npm start`
 * builds it into frontend/console/dist when its sources changed (frontend/build.ts).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/local/',
  plugins: [react()],
  resolve: {
    alias: [ONE_GRAPHQL_COPY],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // GraphiQL's editor (Monaco) is large; the console is a local developer tool, loaded on its own page.
    chunkSizeWarningLimit: 6000,
    rollupOptions: {
      onwarn(warning, warn) {
        // GraphiQL's React-compiler hints ("use no memo") mean nothing to a bundle; the rest is said.
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
