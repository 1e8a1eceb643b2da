// Finishes Chromium's PDF for the printer: document info and language, an outline from the headings,
// trim and bleed boxes, and fixed dates and ID so the same input gives the same bytes.
import { createHash } from 'node:crypto';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFNull, PDFNumber, PDFRef, PDFString } from 'pdf-lib';
import type { Article } from '../model/load.ts';
import { sourceDate } from '../output/date.ts';
import type { Preset } from './presets.ts';

export interface HeadingPlace {
  level: 1 | 2;
  title: string;
  pageIndex: number;
  /** CSS pixels from the top of the page box (media box). */
  top: number;
}

export interface FinishOptions {
  article: Article;
  preset: Preset;
  /** Bleed in millimetres around the trim; 0 for none. */
  bleed: number;
  headings: HeadingPlace[];
}

const PT_PER_PX = 0.75;

export async function finishPdf(printed: Uint8Array, { article, preset, bleed, headings }: FinishOptions): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(printed, { updateMetadata: false });
  const { title, byline, keywords, lang } = article.frontMatter;
  pdf.setTitle(title, { showInWindowTitleBar: true });
  if (byline) pdf.setAuthor(byline);
  pdf.setSubject(article.description);
  pdf.setKeywords(keywords ?? []);
  pdf.setCreator('banmian');
  pdf.setProducer(`banmian (Paged.js, Chromium), ${preset.label} preset`);
  setDates(pdf, sourceDate(article));
  pdf.catalog.set(PDFName.of('Lang'), PDFString.of(lang));
  setBoxes(pdf, bleed);
  setOutline(pdf, headings);
  // The file ID is a digest of what went in, not of the moment it was made.
  const id = createHash('sha256').update(article.source).update(JSON.stringify(preset)).digest('hex').slice(0, 32);
  pdf.context.trailerInfo.ID = pdf.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  return pdf.save({ updateFieldAppearances: false });
}

function setDates(pdf: PDFDocument, date: Date | undefined): void {
  if (date) {
    pdf.setCreationDate(date);
    pdf.setModificationDate(date);
    return;
  }
  const info = pdf.context.lookup(pdf.context.trailerInfo.Info, PDFDict);
  info.delete(PDFName.of('CreationDate'));
  info.delete(PDFName.of('ModDate'));
}

/** With bleed, Paged.js makes the media box the trim plus the bleed on every side (crop marks sit in it). */
function setBoxes(pdf: PDFDocument, bleed: number): void {
  if (!bleed) return;
  const inset = (bleed * 72) / 25.4;
  for (const page of pdf.getPages()) {
    const media = page.getMediaBox();
    page.setBleedBox(media.x, media.y, media.width, media.height);
    page.setTrimBox(media.x + inset, media.y + inset, media.width - 2 * inset, media.height - 2 * inset);
  }
}

/** Outline: the headline, with the section heads beneath it, each pointing at its place on its page. */
function setOutline(pdf: PDFDocument, headings: HeadingPlace[]): void {
  if (!headings.length) return;
  const { context } = pdf;
  const pageRefs = pdf.getPages().map((page) => page.ref);
  const rootRef = context.nextRef();
  const refs = headings.map(() => context.nextRef());
  const parentOf = (index: number): PDFRef => {
    if (headings[index].level === 1) return rootRef;
    for (let j = index - 1; j >= 0; j--) if (headings[j].level === 1) return refs[j];
    return rootRef;
  };
  const children = new Map<PDFRef, number[]>();
  headings.forEach((_, index) => children.set(parentOf(index), [...(children.get(parentOf(index)) ?? []), index]));

  headings.forEach((heading, index) => {
    const page = pdf.getPage(heading.pageIndex);
    const top = page.getHeight() - heading.top * PT_PER_PX;
    const siblings = children.get(parentOf(index))!;
    const position = siblings.indexOf(index);
    const kids = children.get(refs[index]) ?? [];
    const item = context.obj({
      Title: PDFHexString.fromText(heading.title),
      Parent: parentOf(index),
      Dest: context.obj([pageRefs[heading.pageIndex], PDFName.of('XYZ'), PDFNumber.of(0), PDFNumber.of(Math.round(top)), PDFNull]),
    });
    if (position > 0) item.set(PDFName.of('Prev'), refs[siblings[position - 1]]);
    if (position < siblings.length - 1) item.set(PDFName.of('Next'), refs[siblings[position + 1]]);
    if (kids.length) {
      item.set(PDFName.of('First'), refs[kids[0]]);
      item.set(PDFName.of('Last'), refs[kids[kids.length - 1]]);
      item.set(PDFName.of('Count'), PDFNumber.of(kids.length));
    }
    context.assign(refs[index], item);
  });
  const top = children.get(rootRef) ?? [];
  context.assign(rootRef, context.obj({
    Type: 'Outlines',
    First: refs[top[0]],
    Last: refs[top[top.length - 1]],
    Count: PDFNumber.of(headings.length),
  }));
  pdf.catalog.set(PDFName.of('Outlines'), rootRef);
  pdf.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

