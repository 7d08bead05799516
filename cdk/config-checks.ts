import type { SecureTaskConfig } from '../api/config.ts';

/** A deployment config that would deploy a stack nobody can use; lists every problem at once. */
export class DeployConfigError extends Error {
  override readonly name = 'DeployConfigError';
  constructor(
    readonly stackName: string,
    readonly problems: string[],
  ) {
    super(`${stackName} cannot be deployed as configured:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee docs/deploy.md#configuration.`);
  }
}

/** The domain of a sender address: `SecureTask <no-reply@tasks.example.com>` -> `tasks.example.com`. */
export function mailDomain(mailFrom: string): string {
  return (/@([^>\s]+)>?\s*$/.exec(mailFrom)?.[1] ?? '').toLowerCase();
}

const EMAIL = /^[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+$/;
const NAME_ADDR = /^(?:[^<>]*<)?([^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+)>?$/;

/**
 * What stops `config` from working once deployed, one sentence each saying how to fix it;
 * empty when it can be deployed. `local` holds the local runtime's defaults, which must never
 * reach AWS: SES cannot send from `securetask.local`, a token issuer of
 * `https://securetask.local` names no real service, and invite-only signup with no admin
 * locks everybody out (nobody is there to invite the first person).
 */
export function deploymentProblems(config: SecureTaskConfig & { tokenKeys: string[] }, local: SecureTaskConfig): string[] {
  const problems: string[] = [];
  const domain = mailDomain(config.mailFrom);
  if (!NAME_ADDR.test(config.mailFrom.trim())) {
    problems.push(`mailFrom "${config.mailFrom}" is not a sender address: set -c mailFrom='SecureTask <no-reply@tasks.example.com>' (or SECURETASK_MAIL_FROM)`);
  } else if (domain === mailDomain(local.mailFrom) || domain.endsWith('.local') || domain === 'localhost') {
    problems.push(`mailFrom is the local default (${config.mailFrom}), which SES cannot send from: set -c mailFrom='SecureTask <no-reply@your-domain>' (or SECURETASK_MAIL_FROM) to an address of a domain whose DNS you control`);
  }
  if (config.tokenIssuer === local.tokenIssuer || !/^https:\/\/[a-z0-9.-]+(:\d+)?(\/\S*)?$/i.test(config.tokenIssuer) || /\.local(:|\/|$)/i.test(config.tokenIssuer)) {
    problems.push(`tokenIssuer "${config.tokenIssuer}" is the local default or not an https URL: set -c tokenIssuer=https://your-domain (the iss of every session token)`);
  }
  if (config.adminEmails.length === 0) {
    problems.push('adminEmails is empty: name the first admin with -c adminEmails=you@example.com (or ADMIN_EMAILS); without one nobody can invite the first person');
  }
  for (const email of config.adminEmails) {
    if (!EMAIL.test(email)) problems.push(`adminEmails has "${email}", which is not an email address`);
  }
  if (config.tokenKeys.length === 0) problems.push('tokenKeys is empty: name at least one token signing key (default "initial")');
  for (const name of config.tokenKeys) {
    if (!/^[A-Za-z0-9-]{1,32}$/.test(name)) problems.push(`tokenKeys has "${name}": key names are 1-32 letters, digits and dashes`);
  }
  if (new Set(config.tokenKeys).size !== config.tokenKeys.length) problems.push(`tokenKeys names a key twice: ${config.tokenKeys.join(',')}`);
  return problems;
}
