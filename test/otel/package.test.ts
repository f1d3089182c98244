/**
 * `redwire/otel` as users load it: by package name from the built dist/ (npm test builds first), in
 * a node of its own, from CommonJS and from ES modules; and the main entry never loads OpenTelemetry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runNode as run } from '../run-node.js';
import { useServer } from '../servers/index.js';



// Counts the spans a GET makes through the published entry, with the SDK's in-memory exporter.
const program = (load: string, port: number): string => `${load}
const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const otel = instrument({ tracerProvider });
const c = createClient({ port: ${port} });
c.get('package:otel').then(async () => {
  await c.close();
  otel.disable();
  console.log(exporter.getFinishedSpans().map((s) => s.name).join(','));
});`;

describe('redwire/otel as users load it', () => {
  const server = useServer({});

  it("require('redwire/otel') works from CommonJS", async () => {
    const load = `const { createClient } = require('redwire');
const { instrument } = require('redwire/otel');
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');`;
    assert.equal(await run(['-e', program(load, server().port)]), 'CONNECT,GET,QUIT');
  });

  it("import from 'redwire/otel' works from ES modules", async () => {
    const load = `import { createClient } from 'redwire';
import { instrument } from 'redwire/otel';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';`;
    assert.equal(await run(['--input-type=module', '-e', program(load, server().port)]), 'CONNECT,GET,QUIT');
  });

  it("require('redwire') loads nothing of OpenTelemetry; require('redwire/otel') does", async () => {
    const out = await run([
      '-e',
      `require('redwire');
const otel = () => Object.keys(require.cache).filter((k) => k.includes('@opentelemetry')).length;
const before = otel();
require('redwire/otel');
console.log(before, otel() > 0);`,
    ]);
    assert.equal(out, '0 true');
  });
});
