import { describe, expect, it } from 'vitest';
import { adapterKinds, credentialProblem } from './adapter-registry.ts';

describe('adapter kinds', () => {
  it('registers the demo shop, Shopify and Vendure', () => {
    expect(adapterKinds()).toEqual(expect.arrayContaining(['demo-shop', 'shopify', 'vendure']));
  });

  it.each([
    ['vendure', { apiKey: 'key' }, undefined],
    ['vendure', { username: 'superadmin', password: 'pw' }, undefined],
    ['vendure', { apiKey: 'key', channelToken: 'eu' }, undefined],
    ['vendure', {}, 'apiKey, or username and password'],
    ['vendure', { username: 'superadmin' }, 'apiKey, or username and password'],
    ['vendure', { password: 'pw' }, 'apiKey, or username and password'],
    ['vendure', { apiKey: 'key', password: 'pw' }, 'not both'],
    ['vendure', { apiKey: 'key', token: 'x' }, 'no credentials named: token'],
    ['shopify', { accessToken: 'shpat' }, undefined],
    ['shopify', {}, 'needs credentials: accessToken'],
    ['demo-shop', {}, 'needs credentials: apiKey'],
  ])('%s with %j: %s', (kind, credentials: Record<string, string>, problem) => {
    const found = credentialProblem(kind, credentials);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});
