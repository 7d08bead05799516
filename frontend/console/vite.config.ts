import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

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
    // As in the web app: aws-appsync-subscription-link's "graphql/index.js" is the same graphql.
    alias: [{ find: /^graphql\/index\.js$/, replacement: 'graphql/index.mjs' }],
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
