import { describe, expect, it } from 'vitest';
import { allowedHosts } from './compose.ts';

describe('allowedHosts (DNS rebinding)', () => {
  it('limits a loopback-bound server to loopback names', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1']) {
      expect(allowedHosts({ host, publicUrl: undefined }), host).toEqual(['localhost', '127.0.0.1', '[::1]']);
    }
  });

  it("adds PUBLIC_URL's host name", () => {
    expect(allowedHosts({ host: '127.0.0.1', publicUrl: 'https://Flows.Example.com:8443/base' })).toEqual([
      'localhost',
      '127.0.0.1',
      '[::1]',
      'flows.example.com',
    ]);
  });

  it('does not check a server bound to other interfaces, which sits behind a proxy', () => {
    expect(allowedHosts({ host: '0.0.0.0', publicUrl: 'https://flows.example.com' })).toBeUndefined();
  });
});
