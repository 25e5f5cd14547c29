import { ConfigError, loadConfig } from './config';

describe('CORS configuration', () => {
  it('is off unless LEDGER_CORS_ORIGINS is set', () => {
    expect(loadConfig({}).corsOrigins).toBeNull();
    expect(loadConfig({ LEDGER_CORS_ORIGINS: '  ' }).corsOrigins).toBeNull();
  });

  it.each([
    ['*', '*'],
    ['https://dashboard.kab.go.id', ['https://dashboard.kab.go.id']],
    [
      'https://dashboard.kab.go.id, http://localhost:5173,',
      ['https://dashboard.kab.go.id', 'http://localhost:5173'],
    ],
  ])('takes * or exact origins: LEDGER_CORS_ORIGINS=%s', (value, expected) => {
    expect(loadConfig({ LEDGER_CORS_ORIGINS: value }).corsOrigins).toEqual(expected);
  });

  it.each([
    ['https://dashboard.kab.go.id/', 'https://dashboard.kab.go.id'],
    ['https://dashboard.kab.go.id/laporan', 'https://dashboard.kab.go.id'],
    ['https://Dashboard.Kab.Go.Id', 'https://dashboard.kab.go.id'],
    ['https://dashboard.kab.go.id:443', 'https://dashboard.kab.go.id'],
    ['dashboard.kab.go.id', undefined],
    ['ftp://files.kab.go.id', undefined],
    ['null', undefined],
    ['*, https://dashboard.kab.go.id', undefined],
    ['https://*.kab.go.id', undefined],
  ])('refuses %s, naming the variable and the form it wants', (value, canonical) => {
    const load = () => loadConfig({ LEDGER_CORS_ORIGINS: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/^LEDGER_CORS_ORIGINS: must be \* alone or origins/);
    if (canonical) expect(load).toThrow(`write "${canonical}"`);
  });
});
