import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ApiDefinition } from '../api/types.ts';
import { bundleResolver } from '../api/resolver-bundle.ts';

/** Bundled APPSYNC_JS code, keyed by the project-relative entry the description names. */
export type ResolverCode = ReadonlyMap<string, string>;

/** Every resolver and pipeline-function file the description names, once each. */
export function resolverFiles(api: ApiDefinition): string[] {
  return [...new Set([...Object.values(api.resolvers).map((r) => r.code), ...Object.values(api.pipelineFunctions).map((f) => f.code)])];
}

/**
 * Bundles every resolver of the description with `bundleResolver`, the build the local runtime
 * runs, so AWS gets byte for byte the code that was tested offline. Bundling is async and
 * constructs are not, hence this runs before the stack is built.
 *
 * `missing: 'stub'` is for unit tests while other files are being written: a missing file gets
 * a stub that AppSync would reject, and is reported through `onMissing`; a deployment fails.
 */
export async function bundleResolvers(
  projectRoot: string,
  api: ApiDefinition,
  options: { missing: 'fail' | 'stub'; onMissing?: (file: string) => void } = { missing: 'fail' },
): Promise<ResolverCode> {
  const files = resolverFiles(api);
  const absent = files.filter((file) => !existsSync(path.join(projectRoot, file)));
  if (absent.length > 0 && options.missing === 'fail') {
    throw new Error(`the API description names resolver files that do not exist: ${absent.join(', ')}`);
  }
  absent.forEach((file) => options.onMissing?.(file));
  const code = new Map<string, string>();
  await Promise.all(
    files.map(async (file) => {
      code.set(file, absent.includes(file) ? `throw new Error('${file} was missing at synth');\n` : (await bundleResolver(projectRoot, file)).code);
    }),
  );
  return code;
}
