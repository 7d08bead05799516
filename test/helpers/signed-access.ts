/**
 * The access control a stand-in's own test gives it: one IAM user, allowed everything, whose
 * requests must carry a valid SigV4 signature (checked as the local stack checks every request).
 */
import { authenticateSignedRequest, Principals, type AccessControl } from '../../local/aws/index.ts';

/** Access for requests signed with `credentials` in `region`; any other key or signature is refused. */
export function signedUserAccess(credentials: { accessKeyId: string; secretAccessKey: string }, region: string): AccessControl {
  const accountId = '000000000000';
  const arn = `arn:aws:iam::${accountId}:user/local`;
  const principals = new Principals();
  principals.add(credentials, arn);
  return {
    region,
    accountId,
    authorize: (accessKeyId, request) => principals.authorize(accessKeyId, request),
    authenticate: (req, body, service) =>
      authenticateSignedRequest(req, body, (id) => (id === credentials.accessKeyId ? { ...credentials, arn, decide: () => 'allow' } : undefined), { region, service }),
  };
}
