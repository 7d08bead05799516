import type { Alias } from 'vite';

/**
 * aws-appsync-subscription-link imports "graphql/index.js", graphql's CommonJS build: a second
 * whole copy of graphql (~55 KB gzipped) beside the ESM one Apollo uses. Both of the front end's
 * builds (the web app, the API console) resolve it to the one ESM copy.
 */
export const ONE_GRAPHQL_COPY: Alias = { find: /^graphql\/index\.js$/, replacement: 'graphql/index.mjs' };
