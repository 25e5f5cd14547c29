import { ConfigError, loadConfig } from './config';

describe('HTTP limits configuration', () => {
  it('has defaults far above what the test suites send', () => {
    expect(loadConfig({}).httpLimits).toEqual({
      requestsPerMinute: 6000,
      nikRequestsPerMinute: 300,
      maxConnections: 1000,
    });
  });

  it('takes whole numbers from the environment', () => {
    const { httpLimits } = loadConfig({
      LEDGER_RATE_LIMIT_PER_MINUTE: '120',
      LEDGER_NIK_RATE_LIMIT_PER_MINUTE: '10',
      LEDGER_MAX_CONNECTIONS: '50',
    });
    expect(httpLimits).toEqual({ requestsPerMinute: 120, nikRequestsPerMinute: 10, maxConnections: 50 });
  });

  it.each([
    ['LEDGER_RATE_LIMIT_PER_MINUTE', '0'],
    ['LEDGER_RATE_LIMIT_PER_MINUTE', 'many'],
    ['LEDGER_NIK_RATE_LIMIT_PER_MINUTE', '-5'],
    ['LEDGER_NIK_RATE_LIMIT_PER_MINUTE', '1.5'],
    ['LEDGER_MAX_CONNECTIONS', '0'],
    ['LEDGER_MAX_CONNECTIONS', '10000000'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: `));
  });
});
