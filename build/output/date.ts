// The one date an output carries: SOURCE_DATE_EPOCH (reproducible-builds.org), else the manuscript's; never "now".
import { UserError } from '../errors.ts';
import type { Article } from '../model/load.ts';

/** SOURCE_DATE_EPOCH when set, else the front matter's date, else undefined (the output then carries no date). */
export function sourceDate(article: Article): Date | undefined {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch) {
    if (!/^\d+$/.test(epoch)) {
      throw new UserError(`SOURCE_DATE_EPOCH="${epoch}" is not a number of seconds`, { hint: 'Set it to a Unix time such as 1767225600, or unset it.' });
    }
    return new Date(Number(epoch) * 1000);
  }
  return article.frontMatter.date ? new Date(`${article.frontMatter.date}T00:00:00Z`) : undefined;
}
