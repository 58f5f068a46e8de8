import { describe, expect, it } from 'vitest';
import { ipv6Groups, isPublicAddress } from './address-policy.js';

describe('isPublicAddress', () => {
  it.each([
    ['8.8.8.8', true],
    ['93.184.215.14', true],
    ['2606:4700::1111', true],
    ['2001:4860:4860::8888', true],
    ['64:ff9b::808:808', true], // NAT64 of a public address: how DNS64 networks reach every site
    ['::ffff:8.8.8.8', true],
    ['127.0.0.1', false],
    ['127.255.255.254', false],
    ['10.1.2.3', false],
    ['172.20.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['100.100.100.200', false],
    ['192.0.0.192', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::', false],
    ['::1', false],
    ['[::1]', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['0:0:0:0:0:ffff:7f00:1', false],
    ['0000:0000:0000:0000:0000:FFFF:7F00:0001', false],
    ['::ffff:0:7f00:1', false], // SIIT-translated
    ['::127.0.0.1', false], // IPv4-compatible
    ['::8.8.8.8', false],
    ['64:ff9b::a00:1', false],
    ['64:ff9b::127.0.0.1', false],
    ['64:ff9b:1::808:808', false], // NAT64 local-use
    ['2002:7f00:1::', false], // 6to4 of 127.0.0.1
    ['2002:808:808::1', false], // 6to4 at all
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', false], // Teredo
    ['2001:db8::1', false],
    ['fd00::1', false],
    ['fd00:ec2::254', false],
    ['fe80::1', false],
    ['fe80::1%eth0', false],
    ['fec0::1', false],
    ['ff02::1', false],
    ['not-an-ip', false],
    ['2130706433', false],
    ['0x7f.1', false],
    ['', false],
  ])('%s → %s', (address, expected) => expect(isPublicAddress(address)).toBe(expected));
});

describe('ipv6Groups', () => {
  it('reads every spelling into eight groups', () => {
    expect(ipv6Groups('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('::ffff:127.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(ipv6Groups('fe80::1')).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ipv6Groups('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('127.0.0.1')).toBeNull();
  });
});
