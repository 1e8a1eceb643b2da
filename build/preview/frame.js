// Runs inside the preview's page frame before Paged.js: tells the outer page when pagination has finished (or failed).
window.PagedConfig = {
  auto: true,
  after: (flow) => window.parent.postMessage({ banmian: 'rendered', pages: flow.total, pagedMs: flow.performance }, location.origin),
};
window.addEventListener('error', (event) => {
  window.parent.postMessage({ banmian: 'failed', message: String(event.message) }, location.origin);
});
window.addEventListener('unhandledrejection', (event) => {
  window.parent.postMessage({ banmian: 'failed', message: String(event.reason?.stack ?? event.reason) }, location.origin);
});
