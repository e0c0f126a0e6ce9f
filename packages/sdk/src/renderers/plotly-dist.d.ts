/** plotly.js's strict distribution: a UMD file whose effect is `window.Plotly` (see plotly.ts). */
declare module 'plotly.js-strict-dist-min' {}
