// Nest's console logger without the framework's start-up chatter (every module and
// route it wires up), which buries the lines an operator needs.
import { ConsoleLogger } from '@nestjs/common';

const STARTUP_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
  'NestApplication',
]);

export class QuietLogger extends ConsoleLogger {
  override log(message: unknown, context?: string): void {
    if (context && STARTUP_CONTEXTS.has(context)) return;
    super.log(message, context);
  }
}
