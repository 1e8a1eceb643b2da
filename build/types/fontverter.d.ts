// fontverter ships no types: the one call font-cuts.ts makes.
declare module 'fontverter' {
  export function convert(buffer: Buffer, toFormat: 'truetype' | 'sfnt' | 'woff' | 'woff2', fromFormat?: string): Promise<Buffer>;
}
