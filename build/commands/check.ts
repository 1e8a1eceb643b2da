// `banmian check [dir…] [--json] [--fix]`: argv → options, the check stage per article, findings printed, exit code from severity.
import { log, timed } from '../log.ts';
import { findArticles } from '../model/load.ts';
import { writeFileAtomic } from '../output/write.ts';
import { checkArticle } from '../check/check.ts';
import { applySafeFixes } from '../check/fix.ts';
import type { Finding } from '../check/types.ts';
import { parseCommandArgs, parsePreset, parsePress, presetOption } from './args.ts';
import type { Command } from './command.ts';

const USAGE = 'banmian check [dir…] [--json] [--fix] [--preset broadsheet|tabloid|a4] [--pdfx x4|x1a] [--output-profile press.icc] [--max-ink 240]';

export const checkCommand: Command = {
  summary: 'proofread the Chinese text and preflight images, fonts and copyfit',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      json: { type: 'boolean', default: false },
      fix: { type: 'boolean', default: false },
      preset: presetOption,
      pdfx: { type: 'string' },
      'output-profile': { type: 'string' },
      'max-ink': { type: 'string' },
    }, USAGE);
    const preset = parsePreset(values.preset as string);
    // The same press options as build's, so a preflight judges what that build would write.
    const pressOptions = await parsePress(values.pdfx as string | undefined, values['output-profile'] as string | undefined, values['max-ink'] as string | undefined);
    const press = pressOptions && { maxInk: pressOptions.maxInk };
    const findings: Finding[] = [];
    for (const dir of await findArticles(positionals.length ? positionals : ['manuscript'])) {
      const options = { dir, preset, press };
      // With --fix, copyfit is measured once, on the fixed text.
      let checked = await timed(`check ${dir}`, () => checkArticle({ ...options, copyfit: !values.fix }));
      if (values.fix) {
        const { text, applied } = applySafeFixes(checked.source, checked.findings);
        if (applied) {
          await writeFileAtomic(checked.path, text);
          log.info(`${checked.file}: fixed ${applied} finding${applied === 1 ? '' : 's'}`);
        }
        // What is left is reported against the fixed file, so its lines and columns are right.
        checked = await checkArticle(options);
      }
      findings.push(...checked.findings);
    }
    const errors = findings.filter((finding) => finding.severity === 'error').length;
    if (values.json) {
      process.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
    } else {
      for (const finding of findings) process.stdout.write(`${formatFinding(finding)}\n`);
      log.info(`${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}`);
    }
    return errors ? 1 : 0;
  },
};

/** `file:line:col  severity  rule-id  message`, the form editors and CI annotate from. */
export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line}:${finding.column}  ${finding.severity}  ${finding.rule}  ${finding.message}`;
}
