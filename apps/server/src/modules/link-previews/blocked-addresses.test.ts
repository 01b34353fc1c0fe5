import { describe, expect, it } from 'bun:test';
import { isBlockedAddress } from './blocked-addresses.ts';

describe('isBlockedAddress', () => {
  it('blocks every reserved range, and the IPv6 forms that carry one', () => {
    const blocked = [
      ...['0.0.0.0', '0.1.2.3', '10.0.0.1', '10.255.255.255', '100.64.0.1', '100.127.255.255', '127.0.0.1'],
      ...['127.255.255.254', '169.254.169.254', '172.16.0.1', '172.31.255.255', '192.0.0.8', '192.0.2.1'],
      ...['192.168.1.1', '198.18.0.1', '198.19.255.255', '198.51.100.7', '203.0.113.9', '224.0.0.1'],
      ...['239.255.255.250', '240.0.0.1', '255.255.255.255'],
      ...['::', '::1', '[::1]', '::7f00:1', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0', 'febf::1'],
      ...['ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a00:1', '::ffff:169.254.169.254'],
      ...['64:ff9b::7f00:1', '64:ff9b::10.0.0.1', '64:ff9b:1::1', '2002:c0a8:101::1', '2001:db8::1'],
      ...['2001:db8:ffff::1', '2001::1', '100::1', 'fec0::1'],
    ];
    expect(blocked.filter((address) => !isBlockedAddress(address))).toEqual([]);
  });

  it('lets public addresses through, including public IPv4 inside IPv6', () => {
    const publicAddresses = [
      ...['93.184.216.34', '1.1.1.1', '8.8.8.8', '9.255.255.255', '11.0.0.1', '100.63.255.255', '100.128.0.1'],
      ...['126.255.255.255', '128.0.0.1', '169.253.0.1', '172.15.255.255', '172.32.0.1', '192.0.1.1'],
      ...['192.167.255.255', '192.169.0.1', '198.17.255.255', '198.20.0.1', '223.255.255.255'],
      ...['2606:4700::1', '2606:4700:4700::1111', '2001:4860:4860::8888', '2a00:1450::1', '::ffff:93.184.216.34'],
      ...['::ffff:5db8:d822', '64:ff9b::808:808', '2002:808:808::1', '2001:db9::1', 'fbff::1'],
    ];
    expect(publicAddresses.filter(isBlockedAddress)).toEqual([]);
  });

  it('fails closed on anything that is not an IP address', () => {
    for (const text of ['', 'localhost', 'example.com', '0x7f.1', '2130706433', '127.1', '1.2.3.4.5', ':::1']) {
      expect(isBlockedAddress(text)).toBe(true);
    }
  });
});
