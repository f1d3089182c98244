// One Node client of `npm run bench`, in a process of its own (see bench/child.ts).
// Arguments: the client's name in CLIENTS, the server's host and port.

import { CLIENTS } from './adapters.js';
import { serve } from './child.js';

const [name, host, port] = process.argv.slice(2);
const spec = CLIENTS.find((c) => c.name === name);
if (spec === undefined) throw new Error(`unknown client ${name}`);
const client = await spec.connect({ host: host!, port: Number(port) });
serve(client);
