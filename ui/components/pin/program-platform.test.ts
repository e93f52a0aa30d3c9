import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { platformFromUserAgent } from './program-platform.js';

/** Real user agents of current browsers, as each sends it. */
const agents = {
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  edgeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  chromeLinux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  firefoxLinuxArm: 'Mozilla/5.0 (X11; Linux aarch64; rv:133.0) Gecko/20100101 Firefox/133.0',
  firefoxUbuntu: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  chromeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  android: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  chromeOs: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  windowsArm: 'Mozilla/5.0 (Windows NT 10.0; ARM64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  linux32: 'Mozilla/5.0 (X11; Linux i686; rv:115.0) Gecko/20100101 Firefox/115.0',
};

describe('the support program for a browser', () => {
  it('Windows (Chrome, Edge, Firefox) gets the .exe', () => {
    for (const ua of [agents.chromeWindows, agents.edgeWindows, agents.firefoxWindows]) assert.equal(platformFromUserAgent(ua), 'win-x64');
  });

  it('Linux gets the Linux program for its architecture; Chromium on arm only through its hints', () => {
    assert.equal(platformFromUserAgent(agents.chromeLinux), 'linux-x64');
    assert.equal(platformFromUserAgent(agents.firefoxUbuntu), 'linux-x64');
    assert.equal(platformFromUserAgent(agents.firefoxLinuxArm), 'linux-arm64');
    assert.equal(platformFromUserAgent(agents.chromeLinux, { platform: 'Linux', architecture: 'arm', bitness: '64' }), 'linux-arm64');
    assert.equal(platformFromUserAgent(agents.chromeLinux, { platform: 'Linux', architecture: 'x86', bitness: '64' }), 'linux-x64');
  });

  it('macOS is sent to the browser client', () => {
    assert.equal(platformFromUserAgent(agents.safariMac), 'macos');
    assert.equal(platformFromUserAgent(agents.chromeMac), 'macos');
  });

  it('phones, tablets, Chrome OS, Windows on ARM and 32-bit Linux get no preselection', () => {
    for (const ua of [agents.android, agents.iphone, agents.ipad, agents.chromeOs, agents.windowsArm, agents.linux32, '', 'curl/8.5.0']) {
      assert.equal(platformFromUserAgent(ua), 'other', ua);
    }
    assert.equal(platformFromUserAgent(agents.chromeLinux, { platform: 'Linux', architecture: 'arm', bitness: '32' }), 'other');
  });
});
