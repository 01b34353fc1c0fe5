/** Text folded for matching what someone typed: case and accents ignored ("zoe" finds "Zoë"). */
export const foldForMatching = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLocaleLowerCase();
