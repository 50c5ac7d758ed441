import type { DatabaseConnection, Dialect, Driver, QueryCompiler, TransactionSettings } from 'kysely';
import { StoreUnavailableError } from '../../errors/boundary-errors.ts';
import type { StoreObserver } from '../store-observer.ts';

/** Whether a driver error means the database cannot serve (connection lost, server down or full). */
export type IsOutage = (error: unknown) => boolean;

/**
 * The driver beneath Kysely with outages rethrown as StoreUnavailableError, so nothing above the store
 * reads driver messages. Any other error (a unique violation, say) passes through as the driver threw it.
 * `observe` is told of each query before it runs; what it throws fails the query (the fault tests).
 */
class TypedFailureDriver implements Driver {
  /** Kysely hands the driver back the connections it got from it; the driver needs its own. */
  private readonly own = new WeakMap<DatabaseConnection, DatabaseConnection>();

  private readonly driver: Driver;
  private readonly isOutage: IsOutage;
  private readonly observe: StoreObserver | undefined;

  constructor(driver: Driver, isOutage: IsOutage, observe: StoreObserver | undefined) {
    this.driver = driver;
    this.isOutage = isOutage;
    this.observe = observe;
  }

  private async guard<T>(work: () => Promise<T>, outage = this.isOutage): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw outage(error) ? new StoreUnavailableError('durable', error) : error;
    }
  }

  private unwrap(connection: DatabaseConnection): DatabaseConnection {
    return this.own.get(connection) ?? connection;
  }

  init(): Promise<void> {
    return this.guard(() => this.driver.init(), () => true);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // Not getting a connection at all (refused, pool timeout) is an outage whatever the error says.
    const connection = await this.guard(() => this.driver.acquireConnection(), () => true);
    const typed: DatabaseConnection = {
      executeQuery: (query, options) =>
        this.guard(() => {
          this.observe?.('query', query.sql);
          return connection.executeQuery(query, options);
        }),
      streamQuery: (query, chunkSize, options) => connection.streamQuery(query, chunkSize, options),
    };
    this.own.set(typed, connection);
    return typed;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.guard(() => this.driver.beginTransaction(this.unwrap(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.guard(() => this.driver.commitTransaction(this.unwrap(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.guard(() => this.driver.rollbackTransaction(this.unwrap(connection)));
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.guard(async () => this.driver.savepoint?.(this.unwrap(connection), name, compile));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.guard(async () => this.driver.rollbackToSavepoint?.(this.unwrap(connection), name, compile));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.guard(async () => this.driver.releaseSavepoint?.(this.unwrap(connection), name, compile));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.driver.releaseConnection(this.unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.driver.destroy();
  }
}

/** A Kysely dialect whose driver reports outages as StoreUnavailableError (and tells `observe` of each query). */
export function withTypedFailures(dialect: Dialect, isOutage: IsOutage, observe?: StoreObserver): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => new TypedFailureDriver(dialect.createDriver(), isOutage, observe),
  };
}
