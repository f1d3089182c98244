// The cluster client against a real redis cluster; the tests are in suite.ts, shared by both kinds.
import { clusterSuite } from './suite.js';

clusterSuite('redis');
