import type { NumberRange } from '../internal/validate.js'

// Valid ranges shared by the nutrition functions (spec §7.1).
export const weightKgRange: NumberRange = { min: 0, minExclusive: true, max: 300, unit: 'kg' }
export const heightCmRange: NumberRange = { min: 0, minExclusive: true, max: 300, unit: 'cm' }
export const ageYearsRange: NumberRange = { min: 10, max: 120, unit: 'years' }

// Atwater factors, kcal per gram.
export const kcalPerGramProtein = 4
export const kcalPerGramCarbs = 4
export const kcalPerGramFat = 9
