/** Where the liveness component's files are served (frontend/liveness-files.ts). */
declare module 'virtual:liveness-files' {
  /** The folder of the TF.js WASM binaries, ending in "/" (FaceLivenessDetectorCore's `binaryPath`). */
  export const binaryPath: string;
  /** The face detector's model.json (its `faceModelUrl`), a path on this site. */
  export const faceModelUrl: string;
}
