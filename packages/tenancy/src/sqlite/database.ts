import { assertRequestContext, type RequestContext } from '../context.js'
import { TenancyError } from '../errors.js'

/** A prepared statement, structurally compatible with better-sqlite3's. */
export interface SqliteStatement {
  run(...params: unknown[]): { readonly changes: number }
  get(...params: unknown[]): unknown
  all(...params: unknown[]): unknown[]
}

/** A transaction wrapper, structurally compatible with better-sqlite3's. */
export interface SqliteTransaction<TResult> {
  (): TResult
  immediate(): TResult
}

/**
 * The part of a better-sqlite3 `Database` these stores use. The server opens the database (WAL,
 * `foreign_keys = ON`, a busy timeout) and passes it in.
 */
export interface SqliteDatabase {
  prepare(source: string): SqliteStatement
  transaction<TResult>(fn: () => TResult): SqliteTransaction<TResult>
  exec(source: string): unknown
}

type Params = Readonly<Record<string, unknown>>

/** Statement cache: each SQL text is prepared once per database. */
export interface Statements {
  get<TRow>(sql: string, params?: Params): TRow | undefined
  all<TRow>(sql: string, params?: Params): TRow[]
  run(sql: string, params?: Params): number
  transaction<TResult>(fn: () => TResult, mode?: 'immediate'): TResult
}

/** Creates the statement cache. */
export function createStatements(db: SqliteDatabase): Statements {
  const cache = new Map<string, SqliteStatement>()
  const prepare = (sql: string): SqliteStatement => {
    let statement = cache.get(sql)
    if (!statement) {
      statement = db.prepare(sql)
      cache.set(sql, statement)
    }
    return statement
  }
  return {
    get: <TRow>(sql: string, params: Params = {}) =>
      translate(() => prepare(sql).get(params)) as TRow | undefined,
    all: <TRow>(sql: string, params: Params = {}) =>
      translate(() => prepare(sql).all(params)) as TRow[],
    run: (sql, params = {}) => translate(() => prepare(sql).run(params).changes),
    transaction: (fn, mode) => {
      const wrapped = db.transaction(fn)
      return translate(() => (mode === 'immediate' ? wrapped.immediate() : wrapped()))
    },
  }
}

/** Who owns the rows of a tenant-scoped statement. */
type Owner = 'tenant' | 'user'

/** Statements bound to one context's scope (see {@link Scoped}). */
interface ScopedStatements {
  get<TRow>(sql: string, params?: Params): TRow | undefined
  all<TRow>(sql: string, params?: Params): TRow[]
  run(sql: string, params?: Params): number
}

/**
 * The one query builder for tenant-owned tables (spec §3.6): `scoped(ctx, owner)` replaces
 * `{scope}` with `tenant_id = ?` (plus `user_id = ?` for user-owned rows) and binds both from the
 * context, so a statement cannot forget the predicate or take the tenant from an argument. INSERTs
 * bind `@scope_tenant_id` (and `@scope_user_id`) the same way.
 */
export type Scoped = (ctx: RequestContext, owner: Owner) => ScopedStatements

/** Creates the scoped query builder over a statement cache. */
export function createScoped(statements: Statements): Scoped {
  return (ctx, owner) => {
    assertRequestContext(ctx)
    const bind = { scope_tenant_id: ctx.tenantId, scope_user_id: ctx.userId }
    const predicate =
      owner === 'user'
        ? 'tenant_id = @scope_tenant_id AND user_id = @scope_user_id'
        : 'tenant_id = @scope_tenant_id'
    const build = (sql: string, params: Params): [string, Params] => {
      const isInsert = /^\s*INSERT\b/i.test(sql)
      if (!isInsert && !sql.includes('{scope}')) {
        throw new TenancyError('internal', 'tenant-scoped statement without {scope}')
      }
      const missingColumn =
        !sql.includes('@scope_tenant_id') || (owner === 'user' && !sql.includes('@scope_user_id'))
      if (isInsert && missingColumn) {
        throw new TenancyError('internal', 'tenant-scoped insert without scope columns')
      }
      return [sql.replaceAll('{scope}', predicate), { ...params, ...bind }]
    }
    return {
      get: (sql, params = {}) => statements.get(...build(sql, params)),
      all: (sql, params = {}) => statements.all(...build(sql, params)),
      run: (sql, params = {}) => statements.run(...build(sql, params)),
    }
  }
}
function translate<TResult>(operation: () => TResult): TResult {
  try {
    return operation()
  } catch (error) {
    if (error instanceof TenancyError) throw error
    const code = (error as { code?: unknown }).code
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      throw new TenancyError('conflict', 'row already exists', { cause: error })
    }
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      throw new TenancyError('not_found', 'referenced row not found', { cause: error })
    }
    throw new TenancyError('internal', 'database operation failed', { cause: error })
  }
}
