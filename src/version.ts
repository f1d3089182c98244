/** redwire's version, as `CLIENT SETINFO LIB-VER` and the OpenTelemetry scope report it. */
export const VERSION = "0.1.0";
