/** libc bindings, kernel constants and structure layouts for AF_PACKET capture. */
export * from './constants.js';
export * from './structs.js';
export * from './libc.js';
export * from './privileges.js';
