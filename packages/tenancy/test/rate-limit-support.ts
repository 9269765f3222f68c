import { createRateLimiter, type TenantPlan } from '../src/index.js'
import { tenantRow } from '../src/testing/index.js'
import { createClock, createStores } from './support.js'

export { createClock }

/** A SQLite-backed limiter with one tenant (`tenant-1`) of the given plan. */
export async function seedSqliteTenant(options: { plan: TenantPlan; quotaMultiplier: number }) {
  const clock = createClock()
  const stores = createStores('sqlite')
  await stores.tenants.create(tenantRow({ id: 'tenant-1', ...options }))
  const limiter = createRateLimiter({
    store: stores.rateLimits,
    tenants: stores.tenants,
    now: clock.now,
  })
  return { clock, stores, limiter }
}
