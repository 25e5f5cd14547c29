/** Sex as recorded on the NIK: women's birth day is stored +40. L = laki-laki, P = perempuan. */
export type Sex = 'L' | 'P';
