// Types for the part of pagedjs-cli's Printer that banmian uses (the package ships none).
declare module 'pagedjs-cli' {
  import type { EventEmitter } from 'node:events';
  import type { Browser, Page } from 'puppeteer';

  export interface PrinterOptions {
    allowLocal?: boolean;
    allowRemote?: boolean;
    allowedPaths?: string[];
    allowedDomains?: string[];
    additionalScripts?: string[];
    timeout?: number;
    closeAfter?: boolean;
    browserArgs?: string[];
  }

  export default class Printer extends EventEmitter {
    constructor(options?: PrinterOptions);
    browser?: Browser;
    render(input: string): Promise<Page>;
  }
}
