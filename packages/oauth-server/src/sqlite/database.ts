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
 * The part of a better-sqlite3 `Database` the OAuth store uses. The application opens the
 * database (WAL, `foreign_keys = ON`, a busy timeout) and passes it in.
 */
export interface SqliteDatabase {
  prepare(source: string): SqliteStatement
  transaction<TResult>(fn: () => TResult): SqliteTransaction<TResult>
  exec(source: string): unknown
}

type Params = Readonly<Record<string, unknown>>

/** Prepared statements, each SQL text prepared once per database; parameters are always bound. */
export interface Statements {
  get<TRow>(sql: string, params?: Params): TRow | undefined
  all<TRow>(sql: string, params?: Params): TRow[]
  run(sql: string, params?: Params): number
  /** Runs `fn` in a `BEGIN IMMEDIATE` transaction (a savepoint when nested). */
  transaction<TResult>(fn: () => TResult): TResult
}

const constraintMessages: Readonly<Record<string, string>> = {
  SQLITE_CONSTRAINT_PRIMARYKEY: 'already exists',
  SQLITE_CONSTRAINT_UNIQUE: 'already exists',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'refers to a missing row',
  SQLITE_CONSTRAINT_CHECK: 'violates a check constraint',
  SQLITE_CONSTRAINT_NOTNULL: 'misses a required value',
}

/** Creates the statement cache over a database. */
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
    transaction: (fn) => translate(() => db.transaction(fn).immediate()),
  }
}

/** Re-throws a constraint violation with a message that names no value (rows hold hashes). */
function translate<TResult>(operation: () => TResult): TResult {
  try {
    return operation()
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code
    const message = typeof code === 'string' ? constraintMessages[code] : undefined
    if (message === undefined) throw error
    throw new Error(`oauth store: row ${message}`, { cause: error })
  }
}
