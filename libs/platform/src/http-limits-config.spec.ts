import { ConfigError, loadConfig } from './config';

describe('HTTP limits configuration', () => {
  it('has defaults far above what the test suites send', () => {
    expect(loadConfig({}).httpLimits).toEqual({
      requestsPerMinute: 6000,
      nikRequestsPerMinute: 300,
      maxConnections: 1000,
      trustProxy: false,
    });
  });

  it('takes whole numbers from the environment', () => {
    const { httpLimits } = loadConfig({
      LEDGER_RATE_LIMIT_PER_MINUTE: '120',
      LEDGER_NIK_RATE_LIMIT_PER_MINUTE: '10',
      LEDGER_MAX_CONNECTIONS: '50',
    });
    expect(httpLimits).toEqual({
      requestsPerMinute: 120,
      nikRequestsPerMinute: 10,
      maxConnections: 50,
      trustProxy: false,
    });
  });

  it.each([
    ['false', false],
    ['2', 2],
    ['10.0.0.5', ['10.0.0.5']],
    ['127.0.0.1, 10.0.0.0/8,fd00::/8', ['127.0.0.1', '10.0.0.0/8', 'fd00::/8']],
  ])('believes X-Forwarded-For only from the proxies named: LEDGER_TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig({ LEDGER_TRUST_PROXY: value }).httpLimits.trustProxy).toEqual(expected);
  });

  it.each([
    ['LEDGER_RATE_LIMIT_PER_MINUTE', '0'],
    ['LEDGER_RATE_LIMIT_PER_MINUTE', 'many'],
    ['LEDGER_NIK_RATE_LIMIT_PER_MINUTE', '-5'],
    ['LEDGER_NIK_RATE_LIMIT_PER_MINUTE', '1.5'],
    ['LEDGER_MAX_CONNECTIONS', '0'],
    ['LEDGER_MAX_CONNECTIONS', '10000000'],
    ['LEDGER_TRUST_PROXY', 'true'],
    ['LEDGER_TRUST_PROXY', '0'],
    ['LEDGER_TRUST_PROXY', '10.0.0.1,proxy.example'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: `));
  });
});
