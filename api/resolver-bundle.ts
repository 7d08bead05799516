import { build } from 'esbuild';
import path from 'node:path';

/**
 * Bundles one APPSYNC_JS resolver or pipeline function as AWS recommends, so the local runtime
 * runs exactly the code the CDK app uploads: ESM, esnext, inline source map without sources,
 * `@aws-appsync/utils` (and its `/dynamodb` subpath) left as imports for the runtime to provide.
 */
export interface ResolverBundle {
  /** Project-relative path of the entry file. */
  entry: string;
  /** The bundled ES module. */
  code: string;
  /** Project-relative paths of the project's own files that went into the bundle. */
  inputs: string[];
}

export async function bundleResolver(projectRoot: string, entry: string): Promise<ResolverBundle> {
  const result = await build({
    entryPoints: [path.join(projectRoot, entry)],
    absWorkingDir: projectRoot,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'esnext',
    sourcemap: 'inline',
    sourcesContent: false,
    external: ['@aws-appsync/utils'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules'));
  return { entry, code: result.outputFiles[0].text, inputs };
}
