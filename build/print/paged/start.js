// Runs in the print page before Paged.js: keeps Paged.js from starting by itself, keeps Chromium from laying
// out the unpaginated article (the #banmian-hold style hides the body until then), and starts the pagination
// as soon as the document is parsed. The PDF stage awaits window.banmianPagination: the page count, or the error.
window.PagedConfig = { auto: false };

window.banmianPagination = new Promise((resolve, reject) => {
  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('banmian-hold')?.remove();
    window.PagedPolyfill.preview().then((flow) => resolve(flow.total), (error) => reject(error instanceof Error ? error : new Error(String(error))));
  }, { once: true });
});
