// RESP2 caching: invalidations redirected to a second connection subscribed to __redis__:invalidate.
// The list (see helpers.ts), then what only RESP2 has: the second connection and its breaks.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient } from '../../src/index.js';
import { useServer } from '../servers/index.js';
import { cacheMatrix, invalidationClientId, nextFlush, readUntilCached, serverGets } from './helpers.js';

cacheMatrix(2);
