// Answered by the verification function (functions/verification); see lib/verification.ts.
export { request, response } from './lib/verification';
