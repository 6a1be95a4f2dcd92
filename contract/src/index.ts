// The one typed contract for what crosses the wire between the OnionChat server and
// its clients: HTTP answers and bodies, socket.io events, the socket path, limits.

export * from './views.js';
export * from './answers.js';
export * from './socket.js';
export * from './limits.js';
