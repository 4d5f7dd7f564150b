import { describe, expect, it } from '@jest/globals';
import { isPrivateAddress, privateTargetProblem } from './webhook-target.js';

describe('webhook targets', () => {
  it('knows loopback, private, link-local and mapped addresses from public ones', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1']) {
      expect([address, isPrivateAddress(address)]).toEqual([address, true]);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) expect([address, isPrivateAddress(address)]).toEqual([address, false]);
  });

  it('refuses URLs naming or resolving to private addresses, accepts public and unresolvable ones', async () => {
    const resolve = async (host: string) => {
      if (host === 'internal.example') return ['10.0.0.5'];
      if (host === 'hooks.example') return ['93.184.216.34'];
      throw new Error('ENOTFOUND');
    };
    expect(await privateTargetProblem('http://127.0.0.1:8080/hook', resolve)).toMatch(/loopback, private/);
    expect(await privateTargetProblem('http://[::1]/hook', resolve)).toMatch(/loopback, private/);
    expect(await privateTargetProblem('https://internal.example/hook', resolve)).toMatch(/resolves to 10\.0\.0\.5/);
    expect(await privateTargetProblem('https://hooks.example/hook', resolve)).toBeNull();
    expect(await privateTargetProblem('https://not-yet.example/hook', resolve)).toBeNull();
  });
});
