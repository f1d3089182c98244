import type { RedisArg } from '../../../src/index.js';

/** Sample argvs of the geo commands, for the COMMAND GETKEYS check. */
export const samples: RedisArg[][] = [
  ['GEOADD', 'g', 'NX', 'CH', '13.36', '38.11', 'Palermo', '15.08', '37.50', 'Catania'],
  ['GEODIST', 'g', 'a', 'b', 'km'],
  ['GEOHASH', 'g', 'a', 'b'],
  ['GEOPOS', 'g', 'a'],
  ['GEORADIUS', 'g', '15', '37', '200', 'km', 'WITHDIST', 'COUNT', '3', 'ASC'],
  ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'dst'],
  ['GEORADIUS', 'g', '15', '37', '200', 'km', 'COUNT', '2', 'ANY', 'DESC', 'STOREDIST', 'dst'],
  ['GEORADIUS_RO', 'g', '15', '37', '200', 'km', 'WITHCOORD'],
  ['GEORADIUSBYMEMBER', 'g', 'store', '200', 'km', 'WITHHASH'],
  ['GEORADIUSBYMEMBER', 'g', 'Palermo', '200', 'km', 'STORE', 'dst'],
  ['GEORADIUSBYMEMBER_RO', 'g', 'Palermo', '200', 'km'],
  ['GEOSEARCH', 'g', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '200', 'km', 'ASC', 'COUNT', '1', 'ANY', 'WITHDIST'],
  ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '400', '400', 'km'],
  ['GEOSEARCHSTORE', 'dst', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'STOREDIST'],
];
