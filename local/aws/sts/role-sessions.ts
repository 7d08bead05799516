/**
 * The temporary credentials the local STS has issued: who they belong to (an assumed role and
 * the session policy it was narrowed with), until when, and what they may call. Kept in
 * `<dataDir>/role-sessions.json` (owner-only), so credentials vended before a restart keep
 * working until they expire, as they would on AWS.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomically } from '../atomic-file.ts';
import { decideForSession, type Decision, type PolicyDocument } from './policy.ts';

/** A role the local STS lets callers assume. */
export interface LocalRole {
  /** `arn:aws:iam::<account>:role/<name>`. */
  arn: string;
  /** The role's identity policies: what its sessions may do at most. */
  policies: PolicyDocument[];
  /** The longest session AssumeRole may ask for, 3600-43200 s; IAM's default 3600. */
  maxSessionDurationSeconds?: number;
}

/** One set of temporary credentials, as stored. */
export interface RoleSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO 8601. */
  expiration: string;
  roleArn: string;
  roleSessionName: string;
  /** `arn:aws:sts::<account>:assumed-role/<role name>/<session name>`. */
  assumedRoleArn: string;
  /** `AROA…:<session name>`. */
  assumedRoleId: string;
  sessionPolicy?: PolicyDocument;
}

/** A caller holding temporary credentials, as the services that check signatures see it. */
export interface TemporaryPrincipal {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  arn: string;
  expiration: Date;
  /** What IAM would decide for `service:Operation` (role policies intersected with the session policy). */
  decide(action: string): Decision;
}

/** Issued credentials, persisted; expired ones are dropped when the file is next written. */
export async function openRoleSessions(dataDir: string, roles: LocalRole[]) {
  const file = path.join(dataDir, 'role-sessions.json');
  const sessions = new Map<string, RoleSession>();
  const stored = await readFile(file, 'utf8').then((text) => JSON.parse(text) as RoleSession[], () => [] as RoleSession[]);
  for (const session of stored) sessions.set(session.accessKeyId, session);
  for (const role of roles) parseRoleArn(role.arn);
  const roleByArn = new Map(roles.map((role) => [role.arn, role]));
  let writes: Promise<void> = Promise.resolve();

  const persist = () => {
    const now = Date.now();
    for (const [id, session] of sessions) if (Date.parse(session.expiration) <= now) sessions.delete(id);
    const snapshot = JSON.stringify([...sessions.values()], null, 1);
    writes = writes.catch(() => undefined).then(() => writeAtomically(file, snapshot));
    return writes;
  };

  return {
    role: (arn: string) => roleByArn.get(arn),

    /** Issues credentials for `role` lasting `durationSeconds`, narrowed by `sessionPolicy`. */
    async issue(role: LocalRole, roleSessionName: string, durationSeconds: number, sessionPolicy: PolicyDocument | undefined): Promise<RoleSession> {
      const { account, name } = parseRoleArn(role.arn);
      const session: RoleSession = {
        accessKeyId: 'ASIA' + randomBytes(8).toString('hex').toUpperCase(),
        secretAccessKey: randomBytes(30).toString('base64'),
        sessionToken: randomBytes(96).toString('base64'),
        expiration: new Date(Date.now() + durationSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        roleArn: role.arn,
        roleSessionName,
        assumedRoleArn: `arn:aws:sts::${account}:assumed-role/${name}/${roleSessionName}`,
        assumedRoleId: `AROA${roleIdOf(role.arn)}:${roleSessionName}`,
        sessionPolicy,
      };
      sessions.set(session.accessKeyId, session);
      await persist();
      return session;
    },

    /**
     * The principal behind an access key id the STS issued, or undefined for keys it never issued.
     * Expired credentials are returned too (with their expiration), so callers can answer
     * ExpiredTokenException rather than "unknown key", as AWS does.
     */
    principal(accessKeyId: string): TemporaryPrincipal | undefined {
      const session = sessions.get(accessKeyId);
      if (!session) return undefined;
      const role = roleByArn.get(session.roleArn);
      return {
        accessKeyId: session.accessKeyId,
        secretAccessKey: session.secretAccessKey,
        sessionToken: session.sessionToken,
        arn: session.assumedRoleArn,
        expiration: new Date(session.expiration),
        // A role removed from the configuration takes its sessions' permissions with it.
        decide: (action) => (role ? decideForSession(role.policies, session.sessionPolicy, action) : 'implicit-deny'),
      };
    },

    flushed: () => writes.catch(() => undefined),
  };
}

/** The account and name of a role ARN (`arn:aws:iam::<account>:role/<path/><name>`); throws for anything else. */
export function parseRoleArn(arn: string): { account: string; name: string } {
  const match = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/.exec(arn);
  if (!match) throw new Error(`not a role ARN: ${arn}`);
  return { account: match[1], name: match[2] };
}

/** A stable, role-specific id in IAM's 17-character unique-id alphabet. */
function roleIdOf(arn: string): string {
  let hash = 0n;
  for (const c of arn) hash = (hash * 131n + BigInt(c.charCodeAt(0))) % 36n ** 17n;
  return hash.toString(36).toUpperCase().padStart(17, '0');
}
