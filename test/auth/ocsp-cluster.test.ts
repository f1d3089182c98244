/**
 * OCSP checks through the cluster client: every node connection asks the responder about its node's
 * certificate, against a real TLS cluster (its bus over TLS too) and `openssl ocsp` (ocsp-pki.ts).
 *
 * The nodes serve the PKI's certificates on their TLS ports. Their bus links keep the harness's
 * certificate as their client certificate (`tls-client-cert-file`: the PKI's are server-only) and
 * trust both CAs, so links that are made again while a test runs still come up.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OCSPError, createCluster, keySlot, type RedisCluster } from '../../src/index.js';
import { clearOcspCache } from '../../src/connection/ocsp.js';
import { SERVER_KINDS, useCluster, type RedisServer } from '../servers/index.js';
import { makeOcspPki, type CertName, type OcspPki } from './ocsp-pki.js';

let pki: OcspPki;
before(async () => {
  pki = await makeOcspPki();
});
after(async () => {
  await pki?.stop();
});

async function serve(node: RedisServer, name: CertName): Promise<void> {
  const { certPath, keyPath } = pki.certs[name];
  assert.equal(await node.cli('CONFIG', 'SET', 'tls-cert-file', certPath, 'tls-key-file', keyPath), 'OK');
}

for (const kind of SERVER_KINDS) {
  describe(`OCSP through the cluster client on ${kind}`, () => {
    const cluster = useCluster({ kind, tls: true, replicas: 0 });
    before(async () => {
      const bundle = path.join(pki.dir, `bundle-${kind}.pem`);
      writeFileSync(bundle, Buffer.concat([cluster().servers[0]!.tls!.ca, Buffer.from('\n'), pki.ca]));
      for (const s of cluster().servers) {
        const own = s.tls!;
        const set = ['tls-ca-cert-file', bundle, 'tls-client-cert-file', own.certPath, 'tls-client-key-file', own.keyPath];
        assert.equal(await s.cli('CONFIG', 'SET', ...set), 'OK');
        await serve(s, 'good');
      }
    });

    const open = (): Promise<RedisCluster> =>
      createCluster({ nodes: [{ host: '127.0.0.1', port: cluster().servers[0]!.tlsPort! }], tls: { ca: pki.ca, ocsp: 'responder' }, connectTimeout: 20_000 }).connect();

    it('every node is checked: with good certificates, keys of every slot are served', async () => {
      clearOcspCache();
      await using c = await open();
      const keys = Array.from({ length: 300 }, (_, i) => `ocsp:${i}`);
      await c.mset(Object.fromEntries(keys.map((k) => [k, k])));
      assert.deepEqual(await c.mget(keys), keys);
      assert.equal(c.nodes().length, 3);
      await c.del(...keys);
    });

    it('a node whose certificate is revoked: its slots fail with OCSPError, the other nodes go on', async () => {
      clearOcspCache();
      const victim = cluster().servers[1]!;
      await serve(victim, 'revoked');
      try {
        await using c = await open();
        const victimSlots = (await cluster().nodes()).find((n) => n.port === victim.port)!.slots;
        const onVictim = (k: string): boolean => victimSlots.some(([a, b]) => keySlot(k) >= a && keySlot(k) <= b);
        const keys = Array.from({ length: 200 }, (_, i) => `ocsp:r:${i}`);
        const victimKey = keys.find(onVictim)!;
        const otherKey = keys.find((k) => !onVictim(k))!;
        await assert.rejects(c.set(victimKey, 'v'), (e: unknown) => e instanceof OCSPError && /revoked/i.test(e.message));
        assert.equal(await victim.cli('EXISTS', victimKey), '0', 'nothing reached the revoked node');
        assert.equal(await c.set(otherKey, 'v'), 'OK');
        assert.equal(await c.get(otherKey), 'v');
        await c.del(otherKey);
      } finally {
        await serve(victim, 'good');
      }
    });
  });
}
