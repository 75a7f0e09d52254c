/**
 * Import first in a jsdom test file that also starts the worker. Vitest's jsdom environment installs
 * jsdom's Uint8Array and ArrayBuffer as globals while Node's TextEncoder and Buffer keep Node's own, and
 * esbuild (which bundles the worker) refuses to run when the two differ. Put Node's constructors back;
 * jsdom keeps references to its own and does not read these globals.
 */
const nodeBytes = new TextEncoder().encode("");
const g = globalThis as Record<string, unknown>;
g.Uint8Array = nodeBytes.constructor;
g.ArrayBuffer = nodeBytes.buffer.constructor;
