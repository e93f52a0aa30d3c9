/** The `x11` package ships no types; x11-client.ts is the one place that uses it. */
declare module 'x11' {
  const x11: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  export default x11;
}
