import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';

/** A certificate and key for the local server, and where the certificate is to trust it. */
export interface LocalCertificate {
  cert: string;
  key: string;
  certificateFile: string;
}

/**
 * The local server's TLS certificate (localhost, 127.0.0.1, ::1), made on first start and kept
 * in `<dataDir>/tls/`; remade when it is within a week of expiring. Clients trust it by adding
 * the certificate file (browsers: import it; Node: `NODE_EXTRA_CA_CERTS=<file>`).
 */
export async function localCertificate(dataDir: string): Promise<LocalCertificate> {
  const dir = path.join(dataDir, 'tls');
  const certificateFile = path.join(dir, 'localhost.crt');
  const keyFile = path.join(dir, 'localhost.key');
  const existing = await Promise.all([readFile(certificateFile, 'utf8'), readFile(keyFile, 'utf8')]).catch(() => undefined);
  if (existing && new Date(new X509Certificate(existing[0]).validTo).getTime() > Date.now() + 7 * 86_400_000) {
    return { cert: existing[0], key: existing[1], certificateFile };
  }
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 365 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  } as never);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(certificateFile, pems.cert);
  await writeFile(keyFile, pems.private, { mode: 0o600 });
  return { cert: pems.cert, key: pems.private, certificateFile };
}

/** One port for both http:// and https:// (moved to the AWS stand-ins' server helper, which uses it too). */
export { dualProtocolServer } from './aws/loopback-server.ts';
