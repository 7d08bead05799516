// `npm run lint`: the APPSYNC_JS rules on resolvers/ and on the task rules they import (rules/,
// shared with the functions and the web app), the same rules the local runtime enforces when it
// loads them (local/appsync/runtime/lint.ts).
import appsync from '@aws-appsync/eslint-plugin';

export default [
  {
    files: ['resolvers/**/*.ts', 'rules/**/*.ts'],
    ...appsync.configs.recommended,
    languageOptions: {
      ...appsync.configs.recommended.languageOptions,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
];
