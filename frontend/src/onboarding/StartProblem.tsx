/**
 * Why a verification could not start, with the way forward: wait (RateLimited), ask for an
 * invitation or sign in instead (Unauthorized), or simply try again.
 */
import { Link } from '../app/router.tsx';
import { ProblemNotice } from '../identity/FlowNotices.tsx';
import { rememberEmail } from '../identity/handoff.ts';
import type { Problem } from '../identity/problems.ts';

/** A refusal of startVerification that belongs to no field, with the way forward. */
export function StartProblem({ problem, email }: { problem: Problem; email: string }) {
  if (problem.type === 'Unauthorized') {
    // One refusal covers "never invited", "invitation expired" and "already verified": the API
    // does not tell anyone which emails have accounts, so both ways forward are offered.
    return (
      <div className="id-notice id-notice-danger" role="alert">
        <strong>{problem.message}</strong>
        <p>
          SecureTask is invitation-only: an administrator of your team invites your email first. If you were invited, go Back and use the
          address the invitation was sent to. If you have verified before, sign in with your face instead.
        </p>
        <p>
          <Link to="/sign-in" className="button" onClick={() => rememberEmail(email)}>
            Sign in with your face
          </Link>
        </p>
      </div>
    );
  }
  return <ProblemNotice problem={problem} />;
}
