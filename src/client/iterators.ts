/** Async iterators over SCAN and its kin, installed on the client. */

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface IteratorMethods<S extends string | Buffer> {}

export function installIterators(_proto: object): void {}
