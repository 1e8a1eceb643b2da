// Runs in the print page before Paged.js: keeps Paged.js from starting by itself, keeps Chromium from laying
// out the unpaginated article (the #banmian-hold style hides the body until then), and starts the pagination
// as soon as the document is parsed. The PDF stage awaits window.banmianPagination: the page count, the
// faces first asked for during pagination (see below) and any face that failed to load, or the error.
window.PagedConfig = { auto: false };

// Paged.js schedules each step on an animation frame or an idle callback. A page gets neither while it is
// hidden (the PDF stage lends its pages hidden, browser.ts: Paged.js would stall), and each frame waited for is
// time lost.
// A message the page posts to itself is the next task, hidden or not, so Paged.js gets that instead.
const channel = new MessageChannel();
const queued = [];
channel.port1.onmessage = () => queued.shift()();
const nextTask = (callback) => {
  queued.push(callback);
  channel.port2.postMessage(null);
  return queued.length;
};
window.requestAnimationFrame = (callback) => nextTask(() => callback(performance.now()));
window.requestIdleCallback = (callback) => nextTask(() => callback({ didTimeout: false, timeRemaining: () => 50 }));

// Paged.js loads every declared face before the first page (Chunker.loadFonts): thirteen faces, some 40 MB to
// decode, about half a second in a fresh page, where an article uses three or four. Chromium asks for a face
// the first time layout needs it, and the make-up plan (plan.js) has laid the whole article out with the real
// fonts before this point, so the faces asked for so far are the ones the pages use: waiting for those is
// enough. A face first asked for during pagination was laid out with a stand-in until it came: it is reported,
// and the PDF stage paginates again with `<meta name="banmian-faces" content="every">`, Paged.js's own way.
let unused = [];
async function loadUsedFaces() {
  await document.fonts.ready;
  unused = [...document.fonts].filter((face) => face.status === 'unloaded');
}

/**
 * The article as Paged.js takes it: the body's nodes moved into a template, where Paged.js's own wrapContent
 * writes the body out as HTML and reads it back (~0.15 s of a 100-page article, in each page that plans it).
 */
function takeBody() {
  const template = document.createElement('template');
  template.dataset.ref = 'pagedjs-content';
  template.content.append(...document.body.childNodes);
  document.body.append(template);
  return template.content;
}

window.banmianPagination = new Promise((resolve, reject) => {
  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('banmian-hold')?.remove();
    const previewer = window.PagedPolyfill;
    if (document.querySelector('meta[name="banmian-faces"]')?.content !== 'every') previewer.chunker.loadFonts = loadUsedFaces;
    previewer.preview(takeBody()).then(
      (flow) => resolve({
        pages: flow.total,
        lateFaces: unused.filter((face) => face.status !== 'unloaded').map((face) => `${face.family} ${face.weight}`),
        failedFaces: [...document.fonts].filter((face) => face.status === 'error').map((face) => `${face.family} ${face.weight}`),
      }),
      (error) => reject(error instanceof Error ? error : new Error(String(error))),
    );
  }, { once: true });
});
