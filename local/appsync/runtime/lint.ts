import { ESLint } from 'eslint';
import appsyncPlugin from '@aws-appsync/eslint-plugin';

/** One breach of the APPSYNC_JS language rules, with where it is. */
export interface RuleViolation {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
}

/** Code AppSync would refuse to run: raised at load so the mistake never reaches AWS. */
export class AppSyncCodeError extends Error {
  readonly violations: RuleViolation[];
  constructor(violations: RuleViolation[]) {
    super(
      'Resolver code breaks the APPSYNC_JS rules:\n' +
        violations.map((v) => `  ${v.file}:${v.line}:${v.column} ${v.message} (${v.rule})`).join('\n'),
    );
    this.name = 'AppSyncCodeError';
    this.violations = violations;
  }
}

let eslint: ESLint | undefined;

const recommended = (appsyncPlugin.configs as Record<string, { languageOptions?: object }>).recommended;

/**
 * Lints files with `@aws-appsync/eslint-plugin`'s recommended rules and throws
 * `AppSyncCodeError` listing every violation. The recommended set needs type information
 * (recursion, function passing), so the files must be inside the project's tsconfig.
 */
export async function assertAppSyncRules(projectRoot: string, files: string[]): Promise<void> {
  eslint ??= new ESLint({
    cwd: projectRoot,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        ...recommended,
        languageOptions: {
          ...recommended.languageOptions,
          parserOptions: { projectService: true, tsconfigRootDir: projectRoot },
        },
      } as never,
    ],
  });
  const results = await eslint.lintFiles(files);
  const violations = results.flatMap((result) =>
    result.messages
      .filter((m) => m.severity === 2)
      .map((m) => ({
        file: result.filePath.startsWith(projectRoot) ? result.filePath.slice(projectRoot.length + 1) : result.filePath,
        line: m.line,
        column: m.column,
        rule: m.ruleId ?? 'syntax',
        message: m.message,
      })),
  );
  if (violations.length > 0) throw new AppSyncCodeError(violations);
}
