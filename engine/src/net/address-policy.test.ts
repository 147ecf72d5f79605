import { describe, expect, it } from 'vitest';
import { addressRefusal, ForbiddenAddressError, forbiddenAddressIn, hostRefusal } from './address-policy.ts';

/** Decisions only: nothing here opens a connection. */
describe('addressRefusal', () => {
  it.each([
    // IPv4 special-purpose space
    ['0.0.0.0', /"this network"/],
    ['0.1.2.3', /0\.0\.0\.0\/8/],
    ['10.1.2.3', /private \(10\.0\.0\.0\/8\)/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['100.127.255.255', /100\.64\.0\.0\/10/],
    ['127.0.0.1', /loopback \(127\.0\.0\.0\/8\)/],
    ['127.255.0.9', /loopback/],
    ['169.254.169.254', /link-local \(cloud metadata/],
    ['172.16.0.1', /private \(172\.16\.0\.0\/12\)/],
    ['172.31.255.255', /private/],
    ['192.0.0.8', /IETF protocol assignments/],
    ['192.0.2.2', /documentation \(192\.0\.2\.0\/24\)/],
    ['192.88.99.1', /6to4 relay/],
    ['192.168.1.1', /private \(192\.168\.0\.0\/16\)/],
    ['198.18.0.1', /benchmarking/],
    ['198.19.255.255', /benchmarking/],
    ['198.51.100.7', /documentation/],
    ['203.0.113.9', /documentation/],
    ['224.0.0.1', /multicast/],
    ['239.255.255.250', /multicast/],
    ['240.0.0.1', /reserved/],
    ['255.255.255.255', /broadcast/],
    // IPv6 loopback, unspecified, IPv4-compatible (::/96, refused whatever it embeds)
    ['::1', /^loopback \(::1\/128\)/],
    ['[::1]', /^loopback/],
    ['0:0:0:0:0:0:0:1', /^loopback/],
    ['::', /^unspecified/],
    ['::7f00:1', /IPv4-compatible/],
    ['::127.0.0.1', /IPv4-compatible/],
    ['::808:808', /IPv4-compatible/],
    // IPv4-mapped ::ffff:0:0/96: judged by the IPv4 address
    ['::ffff:127.0.0.1', /IPv4-mapped, standing for 127\.0\.0\.1, which is loopback/],
    ['::ffff:7f00:1', /IPv4-mapped, standing for 127\.0\.0\.1/],
    ['::ffff:a9fe:a9fe', /standing for 169\.254\.169\.254, which is link-local/],
    ['::ffff:10.0.0.1', /private/],
    // SIIT ::ffff:0:0:0/96
    ['::ffff:0:7f00:1', /IPv4-translated \(SIIT\), standing for 127\.0\.0\.1/],
    ['::ffff:0:a00:1', /standing for 10\.0\.0\.1/],
    // NAT64 well-known 64:ff9b::/96 and local-use 64:ff9b:1::/48
    ['64:ff9b::7f00:1', /NAT64, standing for 127\.0\.0\.1/],
    ['64:ff9b::127.0.0.1', /NAT64, standing for 127\.0\.0\.1/],
    ['64:ff9b::a9fe:a9fe', /169\.254\.169\.254/],
    ['64:ff9b:1::808:808', /local-use NAT64/],
    ['64:ff9b:1:ffff::1', /local-use NAT64/],
    // 6to4 2002::/16: IPv4 in bits 16–48
    ['2002:7f00:1::', /6to4, standing for 127\.0\.0\.1/],
    ['2002:7f00:0001:1234::1', /6to4, standing for 127\.0\.0\.1/],
    ['2002:a9fe:a9fe::1', /6to4, standing for 169\.254\.169\.254/],
    ['2002:c0a8:101::', /6to4, standing for 192\.168\.1\.1/],
    // Teredo, other special IPv6 blocks
    ['2001::1', /Teredo/],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', /Teredo/],
    ['100::1', /discard-only/],
    ['2001:2::1', /benchmarking/],
    ['2001:10::1', /ORCHID/],
    ['2001:db8::1', /documentation \(2001:db8::\/32\)/],
    ['3fff::1', /documentation \(3fff::\/20\)/],
    ['fc00::1', /unique local/],
    ['fd12:3456::1', /unique local/],
    ['fe80::1', /link-local \(fe80::\/10\)/],
    ['febf::1', /link-local/],
    ['fec0::1', /site-local/],
    ['feff::1', /site-local/],
    ['ff02::1', /multicast/],
    ['fe80::1%eth0', /scoped to a network interface/],
    // Outside global unicast 2000::/3
    ['4000::1', /outside global unicast/],
    ['5f00::1', /outside global unicast/],
    ['1::1', /outside global unicast/],
    // Not addresses
    ['localhost', /not an IP address/],
    ['', /not an IP address/],
    ['127.1', /not an IP address/],
  ])('refuses %s', (address, reason) => {
    expect(addressRefusal(address)).toMatch(reason);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '100.63.255.255',
    '100.128.0.1',
    '172.15.255.255',
    '172.32.0.1',
    '192.0.1.1',
    '192.169.0.1',
    '223.255.255.255',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '::ffff:0:808:808',
    '64:ff9b::808:808',
    '64:ff9b::8.8.8.8',
    '2002:0808:0808::',
    '2002:808:808:1::1',
    '2606:4700:4700::1111',
    '[2606:4700:4700::1111]',
    '2001:4860:4860::8888',
    '2a00:1450:4001::1',
    '3ffe::1',
  ])('allows %s', (address) => {
    expect(addressRefusal(address)).toBeNull();
  });
});

describe('hostRefusal', () => {
  it.each([
    ['localhost', /only inside/],
    ['LOCALHOST.', /only inside/],
    ['api.localhost', /only inside/],
    ['printer.local', /only inside/],
    ['metadata.google.internal', /only inside/],
    ['router.home.arpa', /only inside/],
    ['127.0.0.1', /loopback/],
    ['[::1]', /loopback/],
    ['[::ffff:7f00:1]', /standing for 127\.0\.0\.1/],
    ['169.254.169.254', /link-local/],
  ])('refuses the host %s before any lookup', (hostname, reason) => {
    expect(hostRefusal(hostname)).toMatch(reason);
  });

  it.each(['sheets.googleapis.com', 'localhost.example.com', 'internal.example.com', '8.8.8.8', '[2606:4700::1]'])(
    'leaves %s to the connection-time check',
    (hostname) => {
      expect(hostRefusal(hostname)).toBeNull();
    },
  );

  it('judges URL hosts in any IPv4 spelling, as the URL parser normalises them', () => {
    for (const url of ['http://127.1/', 'http://2130706433/', 'http://0x7f.0.0.1/', 'http://017700000001/']) {
      expect(hostRefusal(new URL(url).hostname), url).toMatch(/loopback/);
    }
  });
});

describe('ForbiddenAddressError', () => {
  it('names host, address and reason, says how to allow it, and is found through cause chains', () => {
    const error = new ForbiddenAddressError('crm.test', '10.0.0.7', 'private (10.0.0.0/8)');
    expect(error.message).toBe(
      'crm.test (10.0.0.7) is private (10.0.0.0/8): outgoing calls may not reach loopback, private, link-local ' +
        'or reserved addresses unless the server runs with HTTP_ALLOW_PRIVATE=true',
    );
    const wrapped = new Error('request failed', { cause: new TypeError('fetch failed', { cause: error }) });
    expect(forbiddenAddressIn(wrapped)).toBe(error);
    expect(forbiddenAddressIn(new Error('ECONNREFUSED'))).toBeNull();
  });
});
