import type { Connector } from './connector.ts';

/** Told of every answer an upstream gave (or failed to give): no error means a login came back. */
export type ConnectorObserver = (upstream: string, error?: unknown) => void;

/**
 * A connector that reports how each of its upstream's answers went, so that operations (metrics,
 * the degraded-upstream notice) can watch upstreams without the upstream layer knowing about them.
 * Starting a login only counts when it fails (discovery unreachable): it is no answer yet.
 */
export function observedConnector(connector: Connector, observe: ConnectorObserver): Connector {
  return {
    id: connector.id,
    displayName: connector.displayName,
    providesCpr: connector.providesCpr,
    async begin(request) {
      try {
        return await connector.begin(request);
      } catch (error) {
        observe(connector.id, error);
        throw error;
      }
    },
    async complete(callbackQuery, pending) {
      try {
        const identity = await connector.complete(callbackQuery, pending);
        observe(connector.id);
        return identity;
      } catch (error) {
        observe(connector.id, error);
        throw error;
      }
    },
    claimNames: (field) => connector.claimNames(field),
  };
}
