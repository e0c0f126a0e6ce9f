/** Style sheets are bundled as text (see rollup.config.js and web-test-runner.config.js). */
declare module '*.css' {
  const text: string;
  export default text;
}
