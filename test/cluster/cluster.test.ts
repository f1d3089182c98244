// The cluster client against real Redis and Valkey clusters, one after the other: two 6-node clusters
// at once would starve the rest of the suite on a small machine. The tests are in suite.ts.
import { clusterSuite } from './suite.js';
import { SERVER_KINDS } from '../servers/index.js';

for (const kind of SERVER_KINDS) clusterSuite(kind);
