/**
 * How the console calls the API: the API key, a dev token for an email and role (minted by the
 * local runtime, as `npx securetask token` mints one), or IAM with the local IAM user's keys.
 */
import { useState, type FormEvent } from 'react';
import type { ConsoleAuth } from './auth.ts';
import { CONSOLE_PATHS, type ConsoleSettings } from './console-settings.ts';

type Mode = ConsoleAuth['mode'];

const LABELS: Record<Mode, string> = { API_KEY: 'API key', AWS_LAMBDA: 'Dev token', AWS_IAM: 'IAM (SigV4)' };

/** Asks the local runtime for a dev session token. */
async function mintDevToken(email: string, role: string): Promise<string> {
  const response = await fetch(CONSOLE_PATHS.devToken, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, role }) });
  const body = (await response.json().catch(() => ({}))) as { token?: string; message?: string };
  if (!response.ok || !body.token) throw new Error(body.message ?? `the runtime answered ${response.status}`);
  return body.token;
}

export function AuthPicker({ settings, onChange }: { settings: ConsoleSettings; onChange: (auth: ConsoleAuth) => void }) {
  const [mode, setMode] = useState<Mode>('API_KEY');
  const [email, setEmail] = useState('you@example.com');
  const [role, setRole] = useState('ADMIN');
  const [signedIn, setSignedIn] = useState('');
  const [problem, setProblem] = useState('');

  const choose = (next: Mode) => {
    setMode(next);
    if (next === 'API_KEY') onChange({ mode: next, apiKey: settings.apiKey });
    if (next === 'AWS_IAM') onChange({ mode: next, credentials: settings.iamCredentials, region: settings.region });
    // A dev token applies once minted; until then requests go without one (and AppSync refuses them).
    if (next === 'AWS_LAMBDA') onChange({ mode: next, token: '' });
    setSignedIn('');
    setProblem('');
  };
  const getToken = async (event: FormEvent) => {
    event.preventDefault();
    setProblem('');
    try {
      onChange({ mode: 'AWS_LAMBDA', token: await mintDevToken(email, role) });
      setSignedIn(`Token for ${email.trim().toLowerCase()} (${role})`);
    } catch (error) {
      setProblem(`No token: ${(error as Error).message}`);
    }
  };

  return (
    <div className="console-auth">
      <fieldset>
        <legend>Auth mode</legend>
        {(Object.keys(LABELS) as Mode[]).map((m) => (
          <label key={m}>
            <input type="radio" name="auth-mode" value={m} checked={mode === m} onChange={() => choose(m)} /> {LABELS[m]}
          </label>
        ))}
      </fieldset>
      {mode === 'AWS_LAMBDA' && (
        <form className="console-token" onSubmit={getToken}>
          <label>
            Email <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <label>
            Role{' '}
            <select value={role} onChange={(e) => setRole(e.target.value)}>
              <option>ADMIN</option>
              <option>MEMBER</option>
            </select>
          </label>
          <button type="submit">Get a dev token</button>
          {signedIn && <span className="console-note">{signedIn}</span>}
        </form>
      )}
      {mode === 'AWS_IAM' && <span className="console-note">Signed as the local IAM user {settings.iamCredentials.accessKeyId}</span>}
      {problem && (
        <span className="console-problem" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
