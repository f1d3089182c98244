// Throw-away certificates for TLS tests, made with the openssl CLI so that no key material is committed.
// One set per test process: generating keys is the slow part, and every server in a run may share the
// same CA (which is also what cluster nodes talking TLS to each other will need).

import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { makeTempDir, removeDir, requireBinary, trackDir } from './process.js';

const execFileP = promisify(execFile);

export interface TestCerts {
  ca: Buffer;
  /** Server certificate for 127.0.0.1 / localhost. */
  cert: Buffer;
  key: Buffer;
  /** Client certificate signed by the same CA, for servers that require (or accept) client auth. */
  clientCert: Buffer;
  clientKey: Buffer;
}

export interface TlsFiles extends TestCerts {
  caPath: string;
  certPath: string;
  keyPath: string;
  clientCertPath: string;
  clientKeyPath: string;
}

// Our own config instead of the system openssl.cnf: the system default sections would add or clash
// with extensions, and differ between distributions.
const OPENSSL_CNF = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = redwire-test
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
# clientAuth too: Redis presents its server certificate when it connects out (replication, cluster bus).
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;

// EC P-256 keys are generated in milliseconds, RSA keys are not.
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function openssl(cwd: string, args: string[]): Promise<void> {
  try {
    await execFileP(requireBinary('openssl'), args, { cwd, timeout: 30_000 });
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`openssl ${args[0]} failed: ${e.stderr || e.message}`);
  }
}

async function generate(): Promise<TestCerts> {
  const dir = makeTempDir('certs');
  trackDir(dir);
  try {
    writeFileSync(path.join(dir, 'openssl.cnf'), OPENSSL_CNF);
    const serial = (): string => `0x${randomBytes(8).toString('hex')}`;
    const common = ['-config', 'openssl.cnf', '-days', '7'];
    await openssl(dir, ['req', '-x509', ...common, ...NEW_KEY, '-extensions', 'ca_ext', '-subj', '/CN=redwire test CA', '-keyout', 'ca.key', '-out', 'ca.crt']);
    const leaf = async (name: string, cn: string, ext: string): Promise<void> => {
      await openssl(dir, ['req', '-new', '-config', 'openssl.cnf', ...NEW_KEY, '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
      await openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', serial(), '-days', '7', '-extfile', 'openssl.cnf', '-extensions', ext, '-out', `${name}.crt`]);
    };
    await Promise.all([leaf('server', 'localhost', 'server_ext'), leaf('client', 'redwire-client', 'client_ext')]);
    const read = (f: string): Buffer => readFileSync(path.join(dir, f));
    return {
      ca: read('ca.crt'),
      cert: read('server.crt'),
      key: read('server.key'),
      clientCert: read('client.crt'),
      clientKey: read('client.key'),
    };
  } finally {
    removeDir(dir);
  }
}

let certsPromise: Promise<TestCerts> | undefined;

export function testCerts(): Promise<TestCerts> {
  certsPromise ??= generate().catch((err: unknown) => {
    certsPromise = undefined; // let a later caller retry rather than caching the failure
    throw err;
  });
  return certsPromise;
}

/** Writes the shared certificates into `dir` so each server owns (and cleans up) its copy. */
export async function writeTlsFiles(dir: string): Promise<TlsFiles> {
  const certs = await testCerts();
  const tlsDir = path.join(dir, 'tls');
  mkdirSync(tlsDir, { mode: 0o700 });
  const put = (name: string, data: Buffer): string => {
    const p = path.join(tlsDir, name);
    writeFileSync(p, data, { mode: 0o600 });
    return p;
  };
  return {
    ...certs,
    caPath: put('ca.crt', certs.ca),
    certPath: put('server.crt', certs.cert),
    keyPath: put('server.key', certs.key),
    clientCertPath: put('client.crt', certs.clientCert),
    clientKeyPath: put('client.key', certs.clientKey),
  };
}
