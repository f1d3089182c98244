/**
 * A small PKI for the OCSP tests, made per run with the openssl CLI, and `openssl ocsp` as the real
 * responder. One CA issues server certificates whose Authority Information Access points at the
 * responder each case needs:
 *   good, revoked, unknown (in no index)    -> the responder signing with the CA's own key
 *   down                                    -> a port where nothing listens
 *   forged                                  -> a responder signing with another CA's key
 *   delegated                               -> a responder signing with an OCSP signer the CA issued
 *   noEku                                   -> a responder signing with a CA-issued cert lacking id-kp-OCSPSigning
 *   cached                                  -> a responder of its own, which a test stops
 *   sha1Only                                -> a port where the test puts a front that refuses SHA-256 ids
 */
import { execFile } from 'node:child_process';
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, requireBinary } from '../servers/index.js';
import { makeTempDir, readFileOr, removeDir, ServerProcess, trackDir } from '../servers/process.js';

const execFileP = promisify(execFile);

export type CertName = 'good' | 'revoked' | 'unknown' | 'down' | 'forged' | 'delegated' | 'noEku' | 'cached' | 'sha1Only';

export interface ServerCert {
  certPath: string;
  keyPath: string;
  cert: Buffer;
  key: Buffer;
}

export interface OcspPki {
  dir: string;
  ca: Buffer;
  caPath: string;
  certs: Record<CertName, ServerCert>;
  /** The URL of the CA's own responder (what good/revoked/unknown name). */
  responderUrl: string;
  /** Asks the CA's responder about a certificate with the openssl CLI; the DER response. */
  fetchResponse(name: CertName): Promise<Buffer>;
  /** The port `sha1Only`'s certificate names as its responder: nothing listens there until a test does. */
  sha1OnlyPort: number;
  /**
   * The response `der` with other thisUpdate / nextUpdate, signed again with the CA's key: what no
   * real responder will produce on demand (a stale answer, or one from the future).
   */
  resign(der: Buffer, times: { thisUpdate: Date; nextUpdate: Date }, sign?: boolean): Promise<Buffer>;
  /** Stops (SIGSTOP) or resumes (SIGCONT) the CA's own responder. */
  pauseResponder(paused: boolean): void;
  /** Stops the responder that `cached` names. */
  stopCachedResponder(): Promise<void>;
  /** Stops the responders. */
  stop(): Promise<void>;
}

const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function openssl(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileP(requireBinary('openssl'), args, { cwd, timeout: 30_000 });
    return stdout;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

/** A serial openssl's index writes the same way (upper-case hex, whole bytes, positive). */
function serial(): string {
  const b = randomBytes(8);
  b[0] = (b[0]! & 0x7f) | 0x10;
  return b.toString('hex').toUpperCase();
}

/** openssl's index time format: YYMMDDHHMMSSZ. */
function indexTime(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
}

/**
 * Waits for the responder to say it accepts connections. Its log is read, not its port probed: a
 * connection that closes without a request leaves `openssl ocsp` stuck on it.
 */
async function waitListening(logFile: string, proc: ServerProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (!proc.running) throw new Error(`openssl ocsp exited: ${JSON.stringify(proc.exit)}: ${readFileOr(logFile)}`);
    if (readFileOr(logFile).includes('waiting for OCSP client connections')) return;
    if (Date.now() > deadline) throw new Error(`openssl ocsp did not start: ${readFileOr(logFile)}`);
    // No event tells when another process has started listening: poll its log.
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function makeOcspPki(): Promise<OcspPki> {
  const dir = makeTempDir('ocsp');
  trackDir(dir);
  const [mainPort, forgedPort, delegatedPort, noEkuPort, downPort, cachedPort, sha1OnlyPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  const aia = (port: number) => `authorityInfoAccess = OCSP;URI:http://127.0.0.1:${port}`;
  const leafExt = (port: number) => `basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
${aia(port)}`;
  writeFileSync(
    path.join(dir, 'openssl.cnf'),
    `[req]
distinguished_name = dn
prompt = no
[dn]
CN = redwire-ocsp
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[main]
${leafExt(mainPort)}
[down]
${leafExt(downPort)}
[forged]
${leafExt(forgedPort)}
[delegated]
${leafExt(delegatedPort)}
[noEku]
${leafExt(noEkuPort)}
[cached]
${leafExt(cachedPort)}
[sha1Only]
${leafExt(sha1OnlyPort)}
[ocsp_signer]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
[not_ocsp_signer]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
`,
  );
  const run = (args: string[]) => openssl(dir, args);
  await Promise.all([
    run(['req', '-x509', '-config', 'openssl.cnf', '-days', '7', ...NEW_KEY, '-extensions', 'ca_ext', '-subj', '/CN=redwire OCSP test CA', '-keyout', 'ca.key', '-out', 'ca.crt']),
    run(['req', '-x509', '-config', 'openssl.cnf', '-days', '7', ...NEW_KEY, '-extensions', 'ca_ext', '-subj', '/CN=another CA', '-keyout', 'other.key', '-out', 'other.crt']),
  ]);
  const serials: Record<string, string> = {};
  const issue = async (name: string, ext: string, cn: string, ca = 'ca') => {
    serials[name] = serial();
    await run(['req', '-new', '-config', 'openssl.cnf', ...NEW_KEY, '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
    await run(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-set_serial', `0x${serials[name]}`, '-days', '7', '-extfile', 'openssl.cnf', '-extensions', ext, '-out', `${name}.crt`]);
  };
  const sections: Record<CertName, string> = { good: 'main', revoked: 'main', unknown: 'main', down: 'down', forged: 'forged', delegated: 'delegated', noEku: 'noEku', cached: 'cached', sha1Only: 'sha1Only' };
  await Promise.all([
    ...Object.entries(sections).map(([name, ext]) => issue(name, ext, 'localhost')),
    issue('signer', 'ocsp_signer', 'redwire OCSP signer'),
    issue('notsigner', 'not_ocsp_signer', 'redwire not an OCSP signer'),
  ]);

  const expiry = indexTime(new Date(Date.now() + 7 * 86_400_000));
  const revokedAt = indexTime(new Date(Date.now() - 3_600_000));
  const lines = (['good', 'revoked', 'down', 'forged', 'delegated', 'noEku', 'cached', 'sha1Only'] as const).map((n) =>
    n === 'revoked' ? `R\t${expiry}\t${revokedAt}\t${serials[n]}\tunknown\t/CN=localhost` : `V\t${expiry}\t\t${serials[n]}\tunknown\t/CN=localhost`,
  );
  writeFileSync(path.join(dir, 'index.txt'), lines.join('\n') + '\n');
  writeFileSync(path.join(dir, 'index.txt.attr'), 'unique_subject = no\n');

  const responders: ServerProcess[] = [];
  const respond = async (port: number, signer: string) => {
    // -nmin: responses carry a nextUpdate, so the client may cache them.
    const args = ['ocsp', '-index', 'index.txt', '-port', String(port), '-CA', 'ca.crt', '-rsigner', `${signer}.crt`, '-rkey', `${signer}.key`, '-nmin', '10', '-ignore_err'];
    const log = path.join(dir, `ocsp-${port}.log`);
    const proc = new ServerProcess(requireBinary('openssl'), args, { cwd: dir, stdioFile: log });
    responders.push(proc);
    await waitListening(log, proc);
    return proc;
  };
  const [mainResponder, , , , cachedResponder] = await Promise.all([respond(mainPort, 'ca'), respond(forgedPort, 'other'), respond(delegatedPort, 'signer'), respond(noEkuPort, 'notsigner'), respond(cachedPort, 'ca')]);

  const read = (f: string) => readFileSync(path.join(dir, f));
  const certs = Object.fromEntries(
    (Object.keys(sections) as CertName[]).map((n) => [n, { certPath: path.join(dir, `${n}.crt`), keyPath: path.join(dir, `${n}.key`), cert: read(`${n}.crt`), key: read(`${n}.key`) }]),
  ) as Record<CertName, ServerCert>;
  const responderUrl = `http://127.0.0.1:${mainPort}`;
  return {
    dir,
    ca: read('ca.crt'),
    caPath: path.join(dir, 'ca.crt'),
    certs,
    responderUrl,
    async fetchResponse(name) {
      const out = `${name}-${randomBytes(4).toString('hex')}.der`;
      await run(['ocsp', '-issuer', 'ca.crt', '-cert', `${name}.crt`, '-url', responderUrl, '-respout', out, '-noverify']);
      return read(out);
    },
    sha1OnlyPort,
    async resign(der, times, sign = true) {
      const engine = new pkijs.CryptoEngine({ name: 'test', crypto: webcrypto as never });
      const response = pkijs.OCSPResponse.fromBER(der);
      const basic = pkijs.BasicOCSPResponse.fromBER(response.responseBytes!.response.valueBlock.valueHexView);
      for (const r of basic.tbsResponseData.responses) {
        r.thisUpdate = times.thisUpdate;
        r.nextUpdate = times.nextUpdate;
      }
      if (sign) {
        const pkcs8 = createPrivateKey(read('ca.key')).export({ format: 'der', type: 'pkcs8' });
        const key = await webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
        await basic.sign(key as never, 'SHA-256', engine);
      } else {
        // Altered after signing: the old signature over the new data.
        basic.tbsResponseData.tbsView = new Uint8Array(basic.tbsResponseData.toSchema(true).toBER(false));
      }
      response.responseBytes!.response = new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) });
      return Buffer.from(response.toSchema().toBER(false));
    },
    pauseResponder(paused) {
      mainResponder!.signal(paused ? 'SIGSTOP' : 'SIGCONT');
    },
    async stopCachedResponder() {
      await cachedResponder!.terminate(2000);
    },
    async stop() {
      await Promise.all(responders.map((r) => r.terminate(2000)));
      removeDir(dir);
    },
  };
}
