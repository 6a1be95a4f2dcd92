// The application's attack surface as the running app declares it: every HTTP route
// (method and path pattern) and every WebSocket event a gateway subscribes to. Tests
// that must cover everything compare their tables against these lists.
import { ModulesContainer } from '@nestjs/core';
import { GATEWAY_METADATA, MESSAGE_METADATA } from '@nestjs/websockets/constants.js';
import type { INestApplication } from '@nestjs/common';

/** "METHOD /path/:param" for every route Express serves. */
export function routeTable(app: INestApplication): string[] {
  const server = app.getHttpAdapter().getInstance() as {
    router?: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return (server.router?.stack ?? [])
    .filter((layer) => layer.route)
    .flatMap((layer) => Object.keys(layer.route!.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`));
}

/** Every event name any gateway of the app subscribes to. */
export function gatewayEvents(app: INestApplication): string[] {
  const events = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.providers.values()) {
      const type = wrapper.metatype as (abstract new (...args: never[]) => unknown) | null;
      if (!type || !Reflect.getMetadata(GATEWAY_METADATA, type)) continue;
      const proto = type.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        const event: unknown =
          typeof handler === 'function' ? Reflect.getMetadata(MESSAGE_METADATA, handler) : undefined;
        if (typeof event === 'string') events.add(event);
      }
    }
  }
  return [...events].sort();
}
