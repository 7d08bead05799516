// `npm run lint`: the APPSYNC_JS rules on resolvers/, the same rules the local runtime enforces
// when it loads them (local/appsync/runtime/lint.ts).
import appsync from '@aws-appsync/eslint-plugin';

export default [
  {
    files: ['resolvers/**/*.ts'],
    ...appsync.configs.recommended,
    languageOptions: {
      ...appsync.configs.recommended.languageOptions,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
];
