// Runs inside the preview's page frame before Paged.js: starts pagination when the PDF printer would, and tells the
// outer page when it has finished (or failed).
window.PagedConfig = {
  auto: true,
  // pagedjs-cli paginates after the page's load event (fonts and images in); Paged.js itself waits for images but
  // not for fonts, so without this a cold first load could be laid out with fallback metrics.
  before: async () => {
    if (document.readyState !== 'complete') await new Promise((resolve) => window.addEventListener('load', resolve, { once: true }));
    await document.fonts.ready;
  },
  after: (flow) => window.parent.postMessage({ banmian: 'rendered', pages: flow.total, pagedMs: flow.performance }, location.origin),
};
window.addEventListener('error', (event) => {
  window.parent.postMessage({ banmian: 'failed', message: String(event.message) }, location.origin);
});
window.addEventListener('unhandledrejection', (event) => {
  window.parent.postMessage({ banmian: 'failed', message: String(event.reason?.stack ?? event.reason) }, location.origin);
});
