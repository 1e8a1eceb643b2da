// Paged.js handler, loaded only for a press PDF: tells the PDF stage where the make-up plan (plan.js) has put
// each photo as soon as the plan is done, before pagination begins. Each photo of a module is set to a size in
// CSS pixels there, so its printed resolution is known a page-layout ahead, and the press stage separates the
// photos for that size while Chromium paginates (press-photos.ts checks it against the printed PDF).
let report;
window.banmianPlannedPhotos = new Promise((resolve) => { report = resolve; });

class PlannedPhotos extends Paged.Handler {
  afterParsed(parsed) {
    const photos = [];
    for (const img of parsed.querySelectorAll('img')) {
      const [width, height] = [img.style.width, img.style.height].map((size) => (size.endsWith('px') ? parseFloat(size) : NaN));
      if (width > 0 && height > 0) photos.push({ src: img.getAttribute('src'), width, height });
    }
    report(photos);
  }
}

Paged.registerHandlers(PlannedPhotos);
