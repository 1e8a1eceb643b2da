// Runs in the print page before Paged.js: keeps Paged.js from starting by itself, keeps Chromium from laying
// out the unpaginated article (the #banmian-hold style hides the body until then), and starts the pagination
// as soon as the document is parsed. The PDF stage awaits window.banmianPagination: the page count and the
// faces first asked for during pagination (see below), or the error.
window.PagedConfig = { auto: false };

// Paged.js schedules each step on an animation frame or an idle callback. A page gets neither while it is
// hidden (a tab behind another in its window: Paged.js would stall), and each frame waited for is time lost.
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

// The page's body is a multi-column box that takes the height a column flexbox leaves it (styles/print.css). To
// find each page break Paged.js lays the page out again after almost every node it adds, and a flex item is laid
// out twice or more per pass, its columns each time: about three times the work of a box of known height. So
// while a page is being filled its body is held at the height the flexbox gives it (read once, with the headline
// block above it in place) and its flex containers are plain blocks, which puts every line where the flexbox
// puts it; once the page is done the styles are given back, before anything else looks at the page.
function holdBodyHeight() {
  return class HeldBody extends window.Paged.Handler {
    renderNode(clone, node, layout) {
      if (this.held?.area === layout.element) return;
      const body = layout.element.querySelector('.article-body');
      const article = body?.closest('.article');
      const wrapper = article?.parentElement;
      if (!wrapper || wrapper.parentElement !== layout.element) return;
      const height = body.getBoundingClientRect().height;
      const saved = [wrapper, article, body].map((element) => [element, element.getAttribute('style')]);
      wrapper.style.display = 'flow-root';
      article.style.display = 'flow-root';
      body.style.height = `${height}px`;
      this.held = { area: layout.element, saved };
    }

    afterPageLayout() {
      for (const [element, style] of this.held?.saved ?? []) {
        if (style === null) element.removeAttribute('style');
        else element.setAttribute('style', style);
      }
      this.held = undefined;
    }
  };
}

window.banmianPagination = new Promise((resolve, reject) => {
  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('banmian-hold')?.remove();
    const previewer = window.PagedPolyfill;
    if (document.querySelector('meta[name="banmian-faces"]')?.content !== 'every') previewer.chunker.loadFonts = loadUsedFaces;
    window.Paged.registerHandlers(holdBodyHeight());
    previewer.preview().then(
      (flow) => resolve({ pages: flow.total, lateFaces: unused.filter((face) => face.status !== 'unloaded').map((face) => `${face.family} ${face.weight}`) }),
      (error) => reject(error instanceof Error ? error : new Error(String(error))),
    );
  }, { once: true });
});
