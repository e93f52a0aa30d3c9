/** The version the page reports where the agent reports its version. */
export const BROWSER_CLIENT_VERSION = 'browser-1';
