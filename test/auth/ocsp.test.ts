/**
 * OCSP checks against a real responder (`openssl ocsp`, see ocsp-pki.ts) and real TLS servers.
 *
 * Responder mode: redis-server / valkey-server serve each certificate in turn (CONFIG SET
 * tls-cert-file), and the server's own command statistics show that a refused connection sent
 * nothing, not even HELLO.
 *
 * Stapled mode: Redis cannot staple OCSP responses, so a Node `tls.Server` stands in front of the real
 * server and answers the client's status request (its 'OCSPRequest' event) with a response the real
 * openssl responder gave; it counts the bytes the client sent, and relays them to the real server.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { ConnectionError, OCSPError, createClient, type RedisClient } from '../../src/index.js';
import { clearOcspCache, type OcspMode } from '../../src/connection/ocsp.js';
import { SERVER_KINDS, useServer } from '../servers/index.js';
import { makeOcspPki, type CertName, type OcspPki } from './ocsp-pki.js';

let pki: OcspPki;
before(async () => {
  pki = await makeOcspPki();
});
after(async () => {
  await pki?.stop();
});

/** How many handshake commands the server has run: unchanged when a client sent nothing. */
async function handshakeCalls(admin: RedisClient): Promise<number> {
  const text = String(await admin.call('INFO', 'commandstats'));
  let n = 0;
  for (const m of text.matchAll(/^cmdstat_(hello|auth|client\|setinfo|ping|select):calls=(\d+)/gm)) n += Number(m[2]);
  return n;
}

async function refused(c: RedisClient): Promise<OCSPError> {
  const err = await c.connect().then(
    () => null,
    (e: unknown) => e,
  );
  await c.close().catch(() => {});
  assert.ok(err instanceof OCSPError, `expected an OCSPError, got ${String(err)}`);
  assert.ok(err instanceof ConnectionError);
  return err;
}

for (const kind of SERVER_KINDS) {
  describe(`OCSP responder mode on ${kind}`, () => {
    const server = useServer({ kind, tls: true });
    let admin: RedisClient;
    before(async () => {
      admin = await createClient({ port: server().port }).connect();
    });
    after(async () => {
      await admin?.close();
    });

    const serve = async (name: CertName) => {
      const { certPath, keyPath } = pki.certs[name];
      assert.equal(await admin.call('CONFIG', 'SET', 'tls-cert-file', certPath, 'tls-key-file', keyPath), 'OK');
    };
    const client = (protocol: 2 | 3, ocsp: 'responder' | 'stapled-or-responder' = 'responder') =>
      createClient({ port: server().tlsPort!, protocol, reconnect: false, connectTimeout: 20_000, tls: { ca: pki.ca, ocsp } });

    for (const protocol of [2, 3] as const) {
      it(`RESP${protocol}: a good certificate connects, and commands flow`, async () => {
        clearOcspCache();
        await serve('good');
        await using c = await client(protocol).connect();
        await c.set('ocsp:k', 'v');
        assert.equal(await c.get('ocsp:k'), 'v');
        assert.equal(c.connection.protocol, protocol);
      });

      it(`RESP${protocol}: a revoked certificate fails with OCSPError and nothing is sent`, async () => {
        await serve('revoked');
        const before = await handshakeCalls(admin);
        const err = await refused(client(protocol));
        assert.equal(err.reason, 'revoked');
        assert.match(err.message, /revoked/);
        assert.equal(await handshakeCalls(admin), before, 'the refused client sent a command');
      });
    }

    it('a certificate the responder does not know fails with OCSPError (unknown)', async () => {
      await serve('unknown');
      const before = await handshakeCalls(admin);
      const err = await refused(client(3));
      assert.equal(err.reason, 'unknown');
      assert.equal(await handshakeCalls(admin), before);
    });

    it('a responder that is down fails with OCSPError, not a silent pass', async () => {
      await serve('down');
      const before = await handshakeCalls(admin);
      const err = await refused(client(3));
      assert.equal(err.reason, 'unavailable');
      assert.match(err.message, /could not be asked/);
      assert.equal(await handshakeCalls(admin), before);
    });

    it('a response signed by another CA fails with OCSPError', async () => {
      await serve('forged');
      const before = await handshakeCalls(admin);
      const err = await refused(client(3));
      assert.equal(err.reason, 'unverifiable');
      assert.match(err.message, /neither the certificate's issuer nor a signer the issuer delegated|did not certify/);
      assert.equal(await handshakeCalls(admin), before);
    });

    it('a response signed by an OCSP signer the issuer delegated is accepted', async () => {
      await serve('delegated');
      await using c = await client(3).connect();
      assert.equal(await c.ping(), 'PONG');
    });

    it('a response signed by a certificate of the issuer without id-kp-OCSPSigning fails', async () => {
      await serve('noEku');
      const err = await refused(client(3));
      assert.equal(err.reason, 'unverifiable');
      assert.match(err.message, /not an OCSP signer/);
    });

    it('stapled-or-responder asks the responder when the server staples nothing', async () => {
      clearOcspCache();
      await serve('good');
      await using c = await client(3, 'stapled-or-responder').connect();
      assert.equal(await c.ping(), 'PONG');
      await serve('revoked');
      const err = await refused(client(3, 'stapled-or-responder'));
      assert.equal(err.reason, 'revoked');
    });

  });
}

describe('OCSP through a Node TLS front (it staples, or not) in front of a real redis-server', () => {
  const server = useServer({ kind: 'redis' });

  interface Front {
    port: number;
    /** Bytes the client sent after the TLS handshake. */
    received: () => number;
    close: () => Promise<void>;
  }

  /** A TLS front serving `name`'s certificate, stapling `staple` (or nothing), relaying to the real server. */
  async function front(name: CertName, staple: Buffer | null): Promise<Front> {
    let received = 0;
    const sockets = new Set<net.Socket>();
    const srv = tls.createServer({ cert: pki.certs[name].cert, key: pki.certs[name].key }, (client) => {
      const upstream = net.connect(server().port, '127.0.0.1');
      sockets.add(client).add(upstream);
      client.on('data', (d: Buffer) => {
        received += d.length;
      });
      client.pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    srv.on('OCSPRequest', (_cert: Buffer, _issuer: Buffer, done: (err: Error | null, response?: Buffer) => void) => done(null, staple ?? undefined));
    srv.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    return {
      port: (srv.address() as net.AddressInfo).port,
      received: () => received,
      close: async () => {
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => srv.close(() => resolve()));
      },
    };
  }

  const client = (port: number, ocsp: OcspMode, protocol: 2 | 3 = 3) =>
    createClient({ port, protocol, reconnect: false, connectTimeout: 20_000, tls: { ca: pki.ca, ocsp, servername: 'localhost' } });

  for (const protocol of [2, 3] as const) {
    it(`RESP${protocol}: a stapled good response connects`, async () => {
      const f = await front('good', await pki.fetchResponse('good'));
      try {
        await using c = await client(f.port, 'stapled', protocol).connect();
        await c.set('ocsp:stapled', '1');
        assert.equal(await c.get('ocsp:stapled'), '1');
        assert.ok(f.received() > 0);
      } finally {
        await f.close();
      }
    });

    it(`RESP${protocol}: a stapled revoked response fails with OCSPError and nothing is sent`, async () => {
      const f = await front('revoked', await pki.fetchResponse('revoked'));
      try {
        const err = await refused(client(f.port, 'stapled', protocol));
        assert.equal(err.reason, 'revoked');
        assert.match(err.message, /stapled/);
        assert.equal(f.received(), 0);
      } finally {
        await f.close();
      }
    });
  }

  it('no staple fails in stapled mode, and nothing is sent', async () => {
    const f = await front('good', null);
    try {
      const err = await refused(client(f.port, 'stapled'));
      assert.equal(err.reason, 'no-staple');
      assert.equal(f.received(), 0);
    } finally {
      await f.close();
    }
  });

  it('no staple in stapled-or-responder mode asks the responder instead', async () => {
    clearOcspCache();
    const good = await front('good', null);
    const revoked = await front('revoked', null);
    try {
      await using c = await client(good.port, 'stapled-or-responder').connect();
      assert.equal(await c.ping(), 'PONG');
      const err = await refused(client(revoked.port, 'stapled-or-responder'));
      assert.equal(err.reason, 'revoked');
      assert.doesNotMatch(err.message, /stapled/);
      assert.equal(revoked.received(), 0);
    } finally {
      await good.close();
      await revoked.close();
    }
  });

  it("a staple about another certificate (the good one's, stapled to the revoked) fails", async () => {
    const f = await front('revoked', await pki.fetchResponse('good'));
    try {
      const err = await refused(client(f.port, 'stapled'));
      assert.equal(err.reason, 'unverifiable');
      assert.match(err.message, /no answer about the server's certificate/);
      assert.equal(f.received(), 0);
    } finally {
      await f.close();
    }
  });

  it('a stapled revoked response is final even when the responder could be asked', async () => {
    const f = await front('revoked', await pki.fetchResponse('revoked'));
    try {
      const err = await refused(client(f.port, 'stapled-or-responder'));
      assert.equal(err.reason, 'revoked');
      assert.match(err.message, /stapled/);
    } finally {
      await f.close();
    }
  });
  it('responder mode: a good answer is cached until its nextUpdate, so a second connection needs no responder', async () => {
    clearOcspCache();
    // The cached certificate has a responder of its own, which this test stops.
    const f = await front('cached', null);
    try {
      await using first = await client(f.port, 'responder').connect();
      assert.equal(await first.ping(), 'PONG');
      await pki.stopCachedResponder();
      await using second = await client(f.port, 'responder').connect();
      assert.equal(await second.ping(), 'PONG');
      // Without the cache the same connection fails: the responder is gone.
      clearOcspCache();
      const err = await refused(client(f.port, 'responder'));
      assert.equal(err.reason, 'unavailable');
    } finally {
      await f.close();
    }
  });
  it('a response out of its time range fails (stale, or not valid yet), and so does one altered after signing', async () => {
    // openssl's responder only answers "now": the responses are re-signed with other times (see resign()).
    const good = await pki.fetchResponse('good');
    const hour = 3_600_000;
    const now = Date.now();
    const staple = async (thisUpdate: number, nextUpdate: number, sign = true) => {
      const f = await front('good', await pki.resign(good, { thisUpdate: new Date(thisUpdate), nextUpdate: new Date(nextUpdate) }, sign));
      try {
        const c = client(f.port, 'stapled');
        const outcome = await c.connect().then(
          () => 'connected',
          (e: unknown) => e,
        );
        await c.close().catch(() => {});
        return { outcome, received: f.received() };
      } finally {
        await f.close();
      }
    };
    // Re-signed with times that are fine: accepted, so the re-signing itself is sound.
    assert.equal((await staple(now - hour, now + hour)).outcome, 'connected');
    const stale = await staple(now - 3 * hour, now - 2 * hour);
    assert.ok(stale.outcome instanceof OCSPError, String(stale.outcome));
    assert.equal(stale.outcome.reason, 'unverifiable');
    assert.match(stale.outcome.message, /out of date/);
    assert.equal(stale.received, 0);
    const early = await staple(now + 2 * hour, now + 3 * hour);
    assert.ok(early.outcome instanceof OCSPError, String(early.outcome));
    assert.match(early.outcome.message, /not valid yet/);
    assert.equal(early.received, 0);
    // The same fine times, but the response altered after it was signed.
    const forged = await staple(now - hour, now + 2 * hour, false);
    assert.ok(forged.outcome instanceof OCSPError, String(forged.outcome));
    assert.match(forged.outcome.message, /signature that does not verify/);
    assert.equal(forged.received, 0);
  });

  it('responder mode: a responder that refuses SHA-256 certificate ids is asked again with SHA-1', async () => {
    // A real responder answers either; this HTTP front in front of it refuses SHA-256 ids the way
    // older responders do ("unauthorized"), which openssl cannot be made to do.
    const SHA256_OID = Buffer.from('0609608648016503040201', 'hex');
    const asked: string[] = [];
    const refuser = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const sha256 = body.includes(SHA256_OID);
        asked.push(sha256 ? 'SHA-256' : 'SHA-1');
        if (sha256) {
          res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(Buffer.from('30030a0106', 'hex'));
          return;
        }
        const up = http.request(pki.responderUrl, { method: 'POST', headers: { 'content-type': 'application/ocsp-request', 'content-length': body.length } }, (r) => {
          res.writeHead(r.statusCode ?? 502, { 'content-type': 'application/ocsp-response' });
          r.pipe(res);
        });
        up.on('error', () => res.destroy());
        up.end(body);
      });
    });
    await new Promise<void>((resolve) => refuser.listen(pki.sha1OnlyPort, '127.0.0.1', resolve));
    const f = await front('sha1Only', null);
    try {
      clearOcspCache();
      await using c = await client(f.port, 'responder').connect();
      assert.equal(await c.ping(), 'PONG');
      assert.deepEqual(asked, ['SHA-256', 'SHA-1']);
    } finally {
      await f.close();
      await new Promise<void>((resolve) => refuser.close(() => resolve()));
    }
  });

  it('responder mode: a responder that stops answering (SIGSTOP) fails the connect with OCSPError within connectTimeout', async () => {
    clearOcspCache();
    const f = await front('good', null);
    pki.pauseResponder(true);
    try {
      const started = Date.now();
      const err = await refused(createClient({ port: f.port, reconnect: false, connectTimeout: 1_500, tls: { ca: pki.ca, ocsp: 'responder', servername: 'localhost' } }));
      assert.equal(err.reason, 'unavailable');
      assert.match(err.message, /no answer within 1500 ms/);
      assert.ok(Date.now() - started < 15_000);
      assert.equal(f.received(), 0);
    } finally {
      pki.pauseResponder(false);
      await f.close();
    }
  });
});

describe('OCSP options', () => {
  it('a wrong tls.ocsp is a DataError before anything is sent', () => {
    assert.throws(() => createClient({ tls: { ocsp: 'yes' as never } }), /tls\.ocsp must be 'responder', 'stapled' or 'stapled-or-responder'/);
  });
});
