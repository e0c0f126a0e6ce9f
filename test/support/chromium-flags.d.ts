export declare const CHROMIUM_BIN: string;
export declare const CHROMIUM_ARGS: string[];
