import pg from 'pg'

/**
 * A PostgreSQL pool that outlives its idle connections. When the server ends an idle connection (a restart,
 * a shutdown, pg_terminate_backend), pg-pool drops it and emits 'error' on the pool; unheard, that is an
 * uncaught exception that ends the process. It also happens after `pool.end()` resolves, which does not wait
 * for the sockets to close: CI saw it as the test's PostgreSQL stopped (57P01). A query's own error still
 * rejects that query, and the next query opens a new connection.
 */
export function openPool(config: pg.PoolConfig, onIdleError: (error: Error) => void = () => {}): pg.Pool {
  const pool = new pg.Pool(config)
  pool.on('error', onIdleError)
  return pool
}
