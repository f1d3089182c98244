/**
 * OCSP checks of a TLS server's certificate (redis-py's OCSPVerifier), run after the TLS handshake and
 * before anything is written: the response comes from the responder named in the certificate (AIA) or
 * is stapled by the server, and is verified here — signed by the issuer or by a delegated OCSP signer
 * the issuer certified, about this very certificate, current, and saying "good". Anything else fails the
 * connection with OCSPError: an OCSP check that cannot be done is never taken as a pass.
 *
 * The ASN.1 work is pkijs's, loaded on the first check, so a client without OCSP never loads it.
 */
import { createHash, webcrypto, X509Certificate } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as tls from 'node:tls';
import type * as Pkijs from 'pkijs';
import type * as Asn1js from 'asn1js';
import { OCSPError, type OCSPFailure } from '../errors.js';

/**
 * How a TLS connection checks the server's certificate by OCSP: ask the responder the certificate
 * names; require a stapled response; or take a stapled one and ask the responder when none came.
 */
export type OcspMode = 'responder' | 'stapled' | 'stapled-or-responder';

/** The modes `tls.ocsp` accepts. */
export const OCSP_MODES: readonly OcspMode[] = ['responder', 'stapled', 'stapled-or-responder'];

const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
const AIA = '1.3.6.1.5.5.7.1.1';
const AD_OCSP = '1.3.6.1.5.5.7.48.1';
const HASH_BY_OID: Record<string, string> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};
const RESPONSE_STATUS = ['successful', 'malformedRequest', 'internalError', 'tryLater', '(4)', 'sigRequired', 'unauthorized'];
// Clocks of the client and of the responder differ; a response a few minutes off is still current.
const CLOCK_SKEW = 5 * 60_000;
const MAX_RESPONSE_BYTES = 1 << 20;

interface Pki {
  pkijs: typeof Pkijs;
  asn1js: typeof Asn1js;
  engine: Pkijs.ICryptoEngine;
}

let pki: Promise<Pki> | null = null;

function loadPki(): Promise<Pki> {
  pki ??= Promise.all([import('pkijs'), import('asn1js')]).then(
    ([pkijs, asn1js]) => ({
      pkijs,
      asn1js,
      // An engine of our own rather than pkijs's global one, which belongs to the application.
      engine: new pkijs.CryptoEngine({ name: 'redwire-ocsp', crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]["crypto"] }),
    }),
    (e: unknown) => {
      pki = null;
      throw new OCSPError(`OCSP checks need the pkijs and asn1js packages, which could not be loaded: ${(e as Error).message}`, { cause: e, reason: 'unverifiable' });
    },
  );
  return pki;
}

const staples = new WeakMap<tls.TLSSocket, Buffer>();

/** Keeps the response a server staples to its handshake; call it right after tls.connect (with requestOCSP). */
export function watchStaple(socket: tls.TLSSocket): void {
  // Node reports a handshake without a staple as null (or an empty buffer).
  socket.once('OCSPResponse', (response: Buffer | null | undefined) => {
    if (response != null && response.length > 0) staples.set(socket, response);
  });
}

/** Good answers, until their nextUpdate: a reconnect storm does not become a storm on the responder. */
const cache = new Map<string, number>();
const CACHE_LIMIT = 1000;

/** Forgets every cached OCSP answer (the next connection asks again). */
export function clearOcspCache(): void {
  cache.clear();
}

function fail(message: string, reason: OCSPFailure, cause?: unknown): never {
  throw new OCSPError(message, cause === undefined ? { reason } : { reason, cause });
}

/**
 * Checks the certificate of a TLS socket whose handshake is done. Resolves when its status is good;
 * rejects with OCSPError saying why otherwise. `timeout` bounds the request to the responder (ms).
 */
export async function checkOcsp(socket: tls.TLSSocket, mode: OcspMode, timeout: number): Promise<void> {
  const { leaf, issuer } = peerChain(socket);
  const staple = staples.get(socket);
  if (mode !== 'responder') {
    // A staple that is there decides: a revoked or forged one is not a reason to ask elsewhere.
    if (staple !== undefined) {
      await verifyResponse(await loadPki(), staple, leaf, issuer, 'the stapled OCSP response');
      return;
    }
    if (mode === 'stapled') fail('the server stapled no OCSP response to its certificate (tls.ocsp is "stapled")', 'no-staple');
  }
  const key = `${leaf.fingerprint256}/${issuer.fingerprint256}`;
  const until = cache.get(key);
  if (until !== undefined && until > Date.now()) return;
  cache.delete(key);
  const p = await loadPki();
  const url = responderUrl(p, leaf);
  let nextUpdate: number | undefined;
  try {
    nextUpdate = await askResponder(p, url, leaf, issuer, 'SHA-256', timeout);
  } catch (e) {
    // Some responders know certificate ids by their SHA-1 hashes only: they refuse, or say "unknown".
    if (!(e instanceof OCSPError) || !sha1Worth.has(e)) throw e;
    nextUpdate = await askResponder(p, url, leaf, issuer, 'SHA-1', timeout);
  }
  if (nextUpdate !== undefined) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, nextUpdate);
  }
}

/** The server's certificate and its issuer, which Node found among the chain sent and the trusted CAs. */
function peerChain(socket: tls.TLSSocket): { leaf: X509Certificate; issuer: X509Certificate } {
  const detailed = socket.getPeerCertificate(true);
  if (detailed === null || detailed.raw === undefined) fail('the server presented no certificate to check by OCSP', 'unverifiable');
  const leaf = new X509Certificate(detailed.raw);
  const up = detailed.issuerCertificate;
  if (up === undefined || up === null || up.raw === undefined) fail(`the issuer of the server's certificate (${leaf.issuer.replace(/\n/g, ', ')}) is not known: OCSP needs it (give it in tls.ca)`, 'unverifiable');
  const issuer = new X509Certificate(up.raw);
  if (!leaf.checkIssued(issuer) || !leaf.verify(issuer.publicKey)) fail("the server's certificate was not signed by the issuer found for it", 'unverifiable');
  return { leaf, issuer };
}

function toPkijs(p: Pki, cert: X509Certificate): Pkijs.Certificate {
  return p.pkijs.Certificate.fromBER(cert.raw);
}

/** The OCSP responder's URL from the certificate's Authority Information Access extension. */
function responderUrl(p: Pki, leaf: X509Certificate): string {
  const cert = toPkijs(p, leaf);
  const ext = cert.extensions?.find((e) => e.extnID === AIA);
  const info = ext?.parsedValue as Pkijs.InfoAccess | undefined;
  const location = info?.accessDescriptions.find((d) => d.accessMethod === AD_OCSP)?.accessLocation;
  // A URI is GeneralName choice 6.
  if (location === undefined || location.type !== 6 || typeof location.value !== 'string') {
    fail("the server's certificate names no OCSP responder (no OCSP URL in its Authority Information Access)", 'unverifiable');
  }
  if (!/^https?:\/\//i.test(location.value)) fail(`the certificate's OCSP responder is not an http(s) URL: ${location.value}`, 'unverifiable');
  return location.value;
}

/** Failures of a SHA-256 request that a SHA-1 one may not have. */
const sha1Worth = new WeakSet<OCSPError>();

async function askResponder(p: Pki, url: string, leaf: X509Certificate, issuer: X509Certificate, hash: string, timeout: number): Promise<number | undefined> {
  const request = new p.pkijs.OCSPRequest();
  await request.createForCertificate(toPkijs(p, leaf), { hashAlgorithm: hash, issuerCertificate: toPkijs(p, issuer) }, p.engine);
  const body = Buffer.from(request.toSchema(true).toBER(false));
  const der = await post(url, body, timeout);
  try {
    return await verifyResponse(p, der, leaf, issuer, `the OCSP response from ${url}`);
  } catch (e) {
    if (hash !== 'SHA-1' && e instanceof OCSPError && (e.reason === 'unknown' || /refused the request|no answer about/.test(e.message))) {
      sha1Worth.add(e);
    }
    throw e;
  }
}

function post(url: string, body: Buffer, timeout: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const unavailable = (why: string, cause?: unknown) => reject(new OCSPError(`the OCSP responder ${url} could not be asked: ${why}`, cause === undefined ? { reason: 'unavailable' } : { reason: 'unavailable', cause }));
    const lib = url.startsWith('https:') ? https : http;
    const req = lib.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response', 'content-length': body.length },
    });
    // The whole exchange, not each pause in it: a responder that drips bytes is cut off too.
    if (timeout > 0) {
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeout} ms`)), timeout);
      req.on('close', () => clearTimeout(timer));
    }
    req.on('error', (e) => unavailable(e.message, e));
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        unavailable(`it answered HTTP ${res.statusCode}`);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_RESPONSE_BYTES) req.destroy(new Error(`its answer is larger than ${MAX_RESPONSE_BYTES} bytes`));
        else chunks.push(c);
      });
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', (e) => unavailable(e.message, e));
    });
    req.end(body);
  });
}

/**
 * Verifies an OCSP response about `leaf`: successful, a basic response, signed by the issuer or by a
 * delegated signer the issuer certified for OCSP, about this certificate, current, and "good".
 * Returns its nextUpdate (ms), if it has one.
 */
async function verifyResponse(p: Pki, der: Buffer, leaf: X509Certificate, issuer: X509Certificate, what: string): Promise<number | undefined> {
  const { pkijs, asn1js } = p;
  let basic: Pkijs.BasicOCSPResponse;
  try {
    const response = pkijs.OCSPResponse.fromBER(der);
    const status = response.responseStatus.valueBlock.valueDec;
    if (status !== 0) fail(`${what}: the responder refused the request (${RESPONSE_STATUS[status] ?? status})`, 'unverifiable');
    if (response.responseBytes === undefined || response.responseBytes.responseType !== pkijs.id_PKIX_OCSP_Basic) fail(`${what} is not a basic OCSP response`, 'unverifiable');
    basic = pkijs.BasicOCSPResponse.fromBER(response.responseBytes.response.valueBlock.valueHexView);
  } catch (e) {
    if (e instanceof OCSPError) throw e;
    fail(`${what} is not a valid OCSP response: ${(e as Error).message}`, 'unverifiable', e);
  }

  const signer = findSigner(p, basic, issuer, what);
  const signed = await p.engine.verifyWithPublicKey(basic.tbsResponseData.tbsView, basic.signature, signer.subjectPublicKeyInfo, basic.signatureAlgorithm).catch(() => false);
  if (!signed) fail(`${what} has a signature that does not verify`, 'unverifiable');

  const leafP = toPkijs(p, leaf);
  const issuerP = toPkijs(p, issuer);
  let single: Pkijs.SingleResponse | undefined;
  for (const r of basic.tbsResponseData.responses) {
    const hash = HASH_BY_OID[r.certID.hashAlgorithm.algorithmId];
    if (hash === undefined) continue;
    const id = new pkijs.CertID();
    await id.createForCertificate(leafP, { hashAlgorithm: hash, issuerCertificate: issuerP }, p.engine);
    if (id.isEqual(r.certID)) {
      single = r;
      break;
    }
  }
  if (single === undefined) fail(`${what} gives no answer about the server's certificate (serial ${leaf.serialNumber})`, 'unverifiable');

  const now = Date.now();
  if (single.thisUpdate.getTime() > now + CLOCK_SKEW) fail(`${what} is not valid yet (thisUpdate ${single.thisUpdate.toISOString()})`, 'unverifiable');
  const next = single.nextUpdate?.getTime();
  if (next !== undefined && next < now - CLOCK_SKEW) fail(`${what} is out of date (nextUpdate ${single.nextUpdate!.toISOString()})`, 'unverifiable');

  const status = single.certStatus as Asn1js.BaseBlock & { valueBlock: { value?: unknown[] } };
  switch (status.idBlock.tagNumber) {
    case 0:
      return next;
    case 1: {
      const at = status.valueBlock.value?.[0];
      const when = at instanceof asn1js.GeneralizedTime ? ` on ${at.toDate().toISOString()}` : '';
      fail(`the server's certificate (serial ${leaf.serialNumber}) is revoked${when}, says ${what}`, 'revoked');
    }
    // eslint-disable-next-line no-fallthrough
    default:
      fail(`the server's certificate (serial ${leaf.serialNumber}) is unknown to the OCSP responder, says ${what}`, 'unknown');
  }
}

/** The certificate whose key signed the response: the issuer itself, or a delegated OCSP signer it issued. */
function findSigner(p: Pki, basic: Pkijs.BasicOCSPResponse, issuer: X509Certificate, what: string): Pkijs.Certificate {
  const { pkijs } = p;
  const rid: unknown = basic.tbsResponseData.responderID;
  const named = (c: Pkijs.Certificate): boolean => {
    if (rid instanceof pkijs.RelativeDistinguishedNames) return rid.isEqual(c.subject);
    const keyHash = (rid as Asn1js.OctetString).valueBlock?.valueHexView;
    if (keyHash === undefined) return false;
    const own = createHash('sha1').update(c.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest();
    return own.equals(Buffer.from(keyHash));
  };
  const issuerP = toPkijs(p, issuer);
  if (named(issuerP)) return issuerP;
  const delegate = (basic.certs ?? []).find(named);
  if (delegate === undefined) fail(`${what} is signed by a responder that is neither the certificate's issuer nor a signer the issuer delegated`, 'unverifiable');
  const d = new X509Certificate(Buffer.from(delegate.toSchema().toBER(false)));
  if (!d.checkIssued(issuer) || !d.verify(issuer.publicKey)) {
    fail(`${what} is signed by ${d.subject.replace(/\n/g, ', ')}, which the issuer of the server's certificate did not certify`, 'unverifiable');
  }
  if (!(d.keyUsage ?? []).includes(OCSP_SIGNING)) fail(`${what} is signed by a certificate of the issuer that is not an OCSP signer (no id-kp-OCSPSigning usage)`, 'unverifiable');
  const now = Date.now();
  if (Date.parse(d.validFrom) > now + CLOCK_SKEW || Date.parse(d.validTo) < now - CLOCK_SKEW) fail(`${what} is signed by an OCSP signer certificate that is not valid now`, 'unverifiable');
  return delegate;
}
