// Finishes Chromium's PDF for the printer: document info and language, an outline from the headings,
// trim and bleed boxes, and fixed dates and ID so the same input gives the same bytes. For the press
// (PDF/X), it finishes Ghostscript's separated PDF: slug, crop marks in registration colour, output
// intent, PDF/X info and XMP.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { ParseSpeeds, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNull, PDFNumber, PDFRef, PDFString } from 'pdf-lib';
import type { Article } from '../model/load.ts';
import { sourceDate } from '../output/date.ts';
import type { OutputProfile, PdfxStandard } from './pdfx.ts';
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

/**
 * pdf-lib reads and writes in slices, waiting a turn of the event loop (at least a millisecond) every 100
 * objects read and every 50 written, for a page's UI to stay responsive: there is none here, and a long
 * article's PDF has thousands of objects. Read and written at once; the bytes are the same.
 */
const READ = { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest };
const WRITE = { updateFieldAppearances: false, objectsPerTick: Infinity };

/** Finishes Chromium's PDF as the proof (metadata, boxes, outline, ID); `edit` first changes it in the same pass (the press's photo stubs). */
export async function finishPdf(printed: Uint8Array, { article, preset, bleed, headings }: FinishOptions, edit?: (pdf: PDFDocument) => Promise<void>): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(printed, READ);
  await edit?.(pdf);
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
  return pdf.save({ ...WRITE, useObjectStreams: true });
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


export interface PressFinishOptions {
  article: Article;
  preset: Preset;
  standard: PdfxStandard;
  profile: OutputProfile;
  maxInk: number;
  /** Bleed in millimetres around the trim (the proof's media box is the trim plus this). */
  bleed: number;
}

const PT_PER_MM = 72 / 25.4;
/** Crop marks: ~10 mm long, starting at least the bleed (and at least 3 mm) outside the trim. */
const MARK_LENGTH_MM = 10;
const MARK_MIN_OFFSET_MM = 3;
const SLUG_MARGIN_MM = 2;
const MARK_WIDTH_PT = 0.25;

const PDFX_VERSION: Record<PdfxStandard, string> = { x4: 'PDF/X-4', x1a: 'PDF/X-1a:2003' };
/** Header version: X-1a:2003 is PDF 1.3/1.4, X-4 at most PDF 1.6 (pdf-lib always writes 1.7). */
const PDF_VERSION: Record<PdfxStandard, string> = { x4: '1.6', x1a: '1.3' };

/**
 * Finishes Ghostscript's press PDF as PDF/X: the proof's media box becomes the BleedBox inside a larger
 * MediaBox (the slug), crop marks in registration colour (Separation /All) sit in the slug, and the output
 * intent, GTS_PDFXVersion, Trapped, language, XMP, dates and ID are set. Same input, same bytes.
 * `restore` first puts back, in the same pass, what Ghostscript did not keep (the photos, the fonts' Unicode maps: pdfx.ts).
 */
export async function finishPressPdf(separated: Uint8Array, options: PressFinishOptions, restore?: (pdf: PDFDocument) => Promise<void>): Promise<Uint8Array> {
  const { article, standard, profile } = options;
  const pdf = await PDFDocument.load(separated, READ);
  await restore?.(pdf);
  const { context } = pdf;
  const date = sourceDate(article) ?? await lastChange(article);
  const version = PDFX_VERSION[standard];
  pdf.setProducer(`banmian (Paged.js, Chromium, Ghostscript), ${options.preset.label} preset, ${version}`);
  pdf.setCreationDate(date);
  pdf.setModificationDate(date);
  const info = context.lookup(context.trailerInfo.Info, PDFDict);
  info.set(PDFName.of('GTS_PDFXVersion'), PDFString.of(version));
  if (standard === 'x1a') info.set(PDFName.of('GTS_PDFXConformance'), PDFString.of(version));
  info.set(PDFName.of('Trapped'), PDFName.of('False'));
  pdf.catalog.set(PDFName.of('Lang'), PDFString.of(article.frontMatter.lang));

  const intent = context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFX',
    OutputConditionIdentifier: PDFString.of('Custom'),
    OutputCondition: PDFString.of(profile.description),
    Info: PDFString.of(profile.description),
    DestOutputProfile: context.register(context.flateStream(profile.bytes, { N: 4 })),
  });
  pdf.catalog.set(PDFName.of('OutputIntents'), context.obj([intent]));

  addMarks(pdf, options.bleed);

  const id = createHash('sha256').update(article.source).update(JSON.stringify(options.preset))
    .update(`${standard} ${options.maxInk} ${options.bleed}`).update(profile.bytes).digest('hex').slice(0, 32);
  const previous = pdf.catalog.get(PDFName.of('Metadata'));
  if (previous instanceof PDFRef) context.delete(previous);
  const xmp = context.stream(new TextEncoder().encode(xmpPacket(pdf, standard, date, id)), { Type: 'Metadata', Subtype: 'XML' });
  pdf.catalog.set(PDFName.of('Metadata'), context.register(xmp));
  context.trailerInfo.ID = context.obj([PDFHexString.of(id), PDFHexString.of(id)]);

  const bytes = await pdf.save({ ...WRITE, useObjectStreams: false });
  bytes.set(new TextEncoder().encode(`%PDF-${PDF_VERSION[standard]}`), 0);
  return bytes;
}

/** PDF/X needs dates: without SOURCE_DATE_EPOCH or a front-matter date, the newest of the article's files. */
async function lastChange(article: Article): Promise<Date> {
  const files = [article.path, ...article.figures.map((figure) => figure.path)];
  const times = await Promise.all(files.map(async (file) => (await stat(file)).mtimeMs));
  return new Date(Math.floor(Math.max(...times) / 1000) * 1000);
}

/** Slug and crop marks on every page, drawn in Separation /All so they print on every plate. */
function addMarks(pdf: PDFDocument, bleedMm: number): void {
  const { context } = pdf;
  const all = context.register(context.obj([
    PDFName.of('Separation'), PDFName.of('All'), PDFName.of('DeviceCMYK'),
    context.obj({ FunctionType: 2, Domain: [0, 1], C0: [0, 0, 0, 0], C1: [1, 1, 1, 1], N: 1 }),
  ]));
  const offset = Math.max(bleedMm, MARK_MIN_OFFSET_MM) * PT_PER_MM;
  const length = MARK_LENGTH_MM * PT_PER_MM;
  const slug = offset + length + SLUG_MARGIN_MM * PT_PER_MM;
  const bleed = bleedMm * PT_PER_MM;
  for (const page of pdf.getPages()) {
    const trim = page.getTrimBox();
    const [left, bottom, right, top] = [trim.x, trim.y, trim.x + trim.width, trim.y + trim.height];
    page.setBleedBox(left - bleed, bottom - bleed, trim.width + 2 * bleed, trim.height + 2 * bleed);
    page.setMediaBox(left - slug, bottom - slug, trim.width + 2 * slug, trim.height + 2 * slug);
    page.node.delete(PDFName.of('CropBox'));
    page.node.delete(PDFName.of('ArtBox'));
    const resources = page.node.Resources() ?? context.obj({});
    page.node.set(PDFName.of('Resources'), resources);
    const spaces = resources.lookupMaybe(PDFName.of('ColorSpace'), PDFDict) ?? context.obj({});
    spaces.set(PDFName.of('BanmianRegistration'), all);
    resources.set(PDFName.of('ColorSpace'), spaces);
    const n = (value: number) => value.toFixed(2);
    const lines: string[] = [];
    for (const [x, dx] of [[left, -1], [right, 1]]) {
      for (const [y, dy] of [[bottom, -1], [top, 1]]) {
        lines.push(`${n(x + dx * offset)} ${n(y)} m ${n(x + dx * (offset + length))} ${n(y)} l S`);
        lines.push(`${n(x)} ${n(y + dy * offset)} m ${n(x)} ${n(y + dy * (offset + length))} l S`);
      }
    }
    // The page's own content is wrapped in q … Q so the marks start from the default graphics state.
    page.node.normalize();
    page.node.wrapContentStreams(context.register(context.stream('q\n')), context.register(context.stream(
      `Q\nq /BanmianRegistration CS 1 SCN ${MARK_WIDTH_PT} w 0 J\n${lines.join('\n')}\nQ\n`,
    )));
  }
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The XMP packet: the document info's facts again, plus the PDF/X version and document identity. */
function xmpPacket(pdf: PDFDocument, standard: PdfxStandard, date: Date, id: string): string {
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const uuid = `uuid:${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
  const text = (value: string | undefined) => escapeXml(value ?? '');
  const alt = (value: string | undefined) => `<rdf:Alt><rdf:li xml:lang="x-default">${text(value)}</rdf:li></rdf:Alt>`;
  const author = pdf.getAuthor();
  const pdfx = standard === 'x4'
    ? `<pdfxid:GTS_PDFXVersion>${PDFX_VERSION.x4}</pdfxid:GTS_PDFXVersion>`
    : `<pdfx:GTS_PDFXVersion>${PDFX_VERSION.x1a}</pdfx:GTS_PDFXVersion><pdfx:GTS_PDFXConformance>${PDFX_VERSION.x1a}</pdfx:GTS_PDFXConformance>`;
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
 xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/"
 xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title>${alt(pdf.getTitle())}</dc:title>
${author ? `<dc:creator><rdf:Seq><rdf:li>${text(author)}</rdf:li></rdf:Seq></dc:creator>\n` : ''}<dc:description>${alt(pdf.getSubject())}</dc:description>
<pdf:Keywords>${text(pdf.getKeywords())}</pdf:Keywords>
<pdf:Producer>${text(pdf.getProducer())}</pdf:Producer>
<pdf:Trapped>False</pdf:Trapped>
<xmp:CreatorTool>${text(pdf.getCreator())}</xmp:CreatorTool>
<xmp:CreateDate>${iso}</xmp:CreateDate>
<xmp:ModifyDate>${iso}</xmp:ModifyDate>
<xmp:MetadataDate>${iso}</xmp:MetadataDate>
<xmpMM:DocumentID>${uuid}</xmpMM:DocumentID>
<xmpMM:InstanceID>${uuid}</xmpMM:InstanceID>
<xmpMM:VersionID>1</xmpMM:VersionID>
<xmpMM:RenditionClass>default</xmpMM:RenditionClass>
${pdfx}
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}
