/** Local IAM: principals by access key, their policies, and AWS's words for a refusal. */
export { compilePolicy, type AccessRequest, type CompiledPolicy, type PolicyStatement } from './policy.ts';
export {
  accessDeniedMessage,
  Principals,
  signingAccessKey,
  UNRECOGNIZED_CLIENT,
  type AccessControl,
  type Authorization,
  type Principal,
  type PrincipalCredentials,
} from './principals.ts';
