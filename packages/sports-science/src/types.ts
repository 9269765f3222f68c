/** Sexes accepted by sex-specific equations (Mifflin–St Jeor, Harris–Benedict, Keytel). */
export const sexes = ['male', 'female'] as const satisfies readonly Sex[]

/** Biological sex, as used by the sex-specific equations of the cited studies. */
export type Sex = 'male' | 'female'
