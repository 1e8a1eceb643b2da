// Types of build/compiled.mjs (plain JavaScript, so that bin.mjs can run it before anything is compiled).
export declare const COMPILED: string;
export declare function staleReason(sources?: string, compiled?: string): string | undefined;
export declare function compile(): void;
