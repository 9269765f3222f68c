import { validateProfile } from './profile.js'

/**
 * Physiological validation of athlete profiles (spec §12): implausible values are errors, unusual but
 * real ones are warnings. Pure; never throws for bad field values (they are reported), only for a
 * profile that is not an object.
 *
 * @example
 * ```ts
 * import { validation } from '@pierre/sports-science'
 *
 * validation.validateProfile({ maxHr: 225, restingHr: 28 }).valid // true, with two warnings
 * ```
 */
export const validation = {
  validateProfile,
} as const
