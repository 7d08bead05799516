import { describe, expect, it } from 'vitest';
import { buildSchema, graphql, type GraphQLSchema } from 'graphql';
import { appSyncDirectiveDefinitions, appSyncScalars, toAppSyncErrorMessage } from '../../local/appsync/scalars.ts';

const SCALARS = ['AWSDate', 'AWSTime', 'AWSDateTime', 'AWSTimestamp', 'AWSEmail', 'AWSJSON', 'AWSURL', 'AWSPhone', 'AWSIPAddress'];

// Every scalar gets an echo field (argument in, same value out) and an output-only field whose
// value the test controls, so variables, literals and serialization are each exercised.
const sdl = `
${appSyncDirectiveDefinitions}
input EventInput @aws_iam { due: AWSDate meta: AWSJSON }
type Event @aws_api_key @aws_iam @aws_cognito_user_pools(cognito_groups: ["admin"]) {
  id: ID! @aws_oidc @aws_lambda
  secret: String @aws_auth(cognito_groups: ["ops"])
}
type Query {
  ${SCALARS.map((s) => `echo${s}(v: ${s}): ${s}\n  out${s}: ${s}`).join('\n  ')}
  event(input: EventInput): String
}
type Mutation { createEvent(id: ID!): Event }
type Subscription { onCreateEvent: Event @aws_subscribe(mutations: ["createEvent"]) }
`;

function makeSchema(): GraphQLSchema {
  const schema = buildSchema(sdl);
  for (const [name, impl] of Object.entries(appSyncScalars)) {
    const target = schema.getType(name);
    if (!target) throw new Error(`missing ${name}`);
    Object.assign(target, {
      serialize: impl.serialize.bind(impl),
      parseValue: impl.parseValue.bind(impl),
      parseLiteral: impl.parseLiteral.bind(impl),
    });
  }
  return schema;
}

const schema = makeSchema();
let outputs: Record<string, unknown> = {};
const root: Record<string, unknown> = {
  ...Object.fromEntries(SCALARS.map((s) => [`echo${s}`, ({ v }: { v: unknown }) => v])),
  ...Object.fromEntries(SCALARS.map((s) => [`out${s}`, () => outputs[s]])),
  event: ({ input }: { input: unknown }) => JSON.stringify(input),
};

async function viaVariable(scalar: string, value: unknown) {
  return graphql({
    schema,
    rootValue: root,
    source: `query($v: ${scalar}) { r: echo${scalar}(v: $v) }`,
    variableValues: { v: value },
  });
}

async function viaLiteral(scalar: string, literal: string) {
  return graphql({ schema, rootValue: root, source: `{ r: echo${scalar}(v: ${literal}) }` });
}

async function viaOutput(scalar: string, value: unknown) {
  outputs = { [scalar]: value };
  return graphql({ schema, rootValue: root, source: `{ r: out${scalar} }` });
}

const literal = (v: string) => JSON.stringify(v);

interface Case {
  valid: string[];
  invalid: string[];
  word: string;
}

const stringCases: Record<string, Case> = {
  AWSDate: {
    valid: ['1970-01-01', '1970-01-01Z', '1970-01-01-07:00', '1970-01-01+05:30', '2024-02-29', '2000-02-29', '-2017-05-01', '1970-01-01+05:30:15'],
    invalid: ['2023-02-30', '2023-02-29', '1900-02-29', '2024-13-01', '2024-04-31', '2024-1-01', '2024-01-01T00:00Z', '20240101', 'abc', '2024-01-01+0530', '2024-01-01+19:00'],
    word: 'a valid date',
  },
  AWSTime: {
    valid: ['12:30', '12:30Z', '12:30:24-07:00', '12:30:24.500+05:30', '12:00:00.2', '12:00:00.123456789', '23:59:59'],
    invalid: ['24:00', '12:60', '12:30:60', '12:30.5', '12:00:00.1234567890', '1230', 'noon', '12:30+5'],
    word: 'a valid time',
  },
  AWSDateTime: {
    valid: ['1970-01-01T12:00:00.2Z', '1970-01-01T12:00:00.277Z', '1970-01-01T12:00:00.123456789Z', '2020-01-01T00:00+00:00', '2024-02-29T23:59:59-08:00', '-2017-01-01T00:00Z', '2024-06-01T10:00:00+05:30:15'],
    invalid: ['2024-01-01T00:00:00', '2023-02-29T00:00:00Z', '2020-05-23T06:4:37.000Z', '2024-01-01 00:00:00Z', '2019', '2024-01-01T25:00Z', '2024-01-01T00:00:00.Z', 'abc'],
    word: 'a valid DateTime Object',
  },
  AWSEmail: {
    valid: ['username@example.com', 'first.last+tag@mail.example.co.uk', 'a@b', "o'brien@sub-domain.example.org"],
    invalid: ['plainaddress', '@example.com', 'user@', 'user@@example.com', 'user name@example.com', 'user@-example.com', 'user@example..com'],
    word: 'a valid email address',
  },
  AWSURL: {
    valid: ['https://www.amazon.com/dp/B000NZW3KC/', 'mailto:example@example.com', 'http://localhost/', 'http://localhost:4000/graphql?x=1#top', 'ftp://files.example.com/a/b.txt'],
    invalid: ['amazon.com', 'www.amazon.com', 'https://www.amazon.com/dp//B000', 'http://exa mple.com/', '/relative/path', 'http://'],
    word: 'a valid URL',
  },
  AWSPhone: {
    valid: ['206-555-0100', '+1 206 555 0100', '2065550100', '1-206-555-0100', '+44 20 7946 0958', '+33-1-23-45-67-89'],
    invalid: ['1110004444', '555-0100', '206-055-0100', '+1 111 555 0100', '(206) 555-0100', 'phone', '+44', '206--555-0100', '+1234567890123456'],
    word: 'a valid phone number',
  },
  AWSIPAddress: {
    valid: ['123.12.34.56', '0.0.0.0', '123.45.67.89/16', '10.0.0.0/0', '1a2b:3c4b::1234:4567', '::1', '2001:db8::/32', 'fe80::1/128', '::ffff:192.0.2.1'],
    invalid: ['256.1.1.1', '1.2.3', '1.2.3.4/33', '2001:db8::/129', '[::1]', '1.2.3.4/', '1.2.3.4/8/8', 'fe80::1%eth0', 'localhost', '1.2.3.4/08'],
    word: 'a valid IP address',
  },
};

describe('appSyncDirectiveDefinitions', () => {
  it('builds a schema that uses every AppSync directive and scalar', () => {
    expect(() => buildSchema(sdl)).not.toThrow();
    for (const name of SCALARS) expect(schema.getType(name)).toBeDefined();
    for (const d of ['aws_api_key', 'aws_iam', 'aws_oidc', 'aws_lambda', 'aws_cognito_user_pools', 'aws_auth', 'aws_subscribe']) {
      expect(schema.getDirective(d)).toBeDefined();
    }
    expect(schema.getDirective('aws_subscribe')?.locations).toEqual(['FIELD_DEFINITION']);
  });

  it('rejects a directive in a place AppSync does not allow it', () => {
    expect(() => buildSchema(`${appSyncDirectiveDefinitions} type Query { a: String } type T @aws_subscribe(mutations: []) { a: String }`)).toThrow(/aws_subscribe/);
  });

  it('exports one GraphQLScalarType per AppSync scalar', () => {
    expect(Object.keys(appSyncScalars).sort()).toEqual([...SCALARS].sort());
  });
});

for (const [scalar, { valid, invalid, word }] of Object.entries(stringCases)) {
  describe(scalar, () => {
    it.each(valid)('accepts %s as variable, literal and output', async (value) => {
      expect(await viaVariable(scalar, value)).toEqual({ data: { r: value } });
      expect(await viaLiteral(scalar, literal(value))).toEqual({ data: { r: value } });
      expect(await viaOutput(scalar, value)).toEqual({ data: { r: value } });
    });

    it.each(invalid)('rejects %s everywhere with an AppSync-style message', async (value) => {
      const v = await viaVariable(scalar, value);
      expect(v.data).toBeUndefined();
      expect(v.errors?.[0].message).toContain(`Unable to parse \`${value}\` as ${word}.`);
      expect(toAppSyncErrorMessage(v.errors?.[0].message ?? '')).toBe(`Variable 'v' has an invalid value. Unable to parse \`${value}\` as ${word}.`);

      const l = await viaLiteral(scalar, literal(value));
      expect(l.data).toBeUndefined();
      expect(l.errors?.[0].message).toBe(`Unable to parse \`${value}\` as ${word}.`);
      expect(l.errors?.[0].locations?.[0]).toBeDefined();

      const o = await viaOutput(scalar, value);
      expect(o.data).toEqual({ r: null });
      expect(o.errors?.[0].message).toBe(`Unable to serialize \`${value}\` as ${word}.`);
      expect(o.errors?.[0].path).toEqual(['r']);
    });

    it('rejects non-string values', async () => {
      expect((await viaVariable(scalar, 42)).errors?.[0].message).toContain(`Unable to parse \`42\` as ${word}.`);
      expect((await viaLiteral(scalar, '42')).errors?.[0].message).toBe(`Unable to parse \`42\` as ${word}.`);
      expect((await viaOutput(scalar, { a: 1 })).errors?.[0].message).toBe(`Unable to serialize \`{"a":1}\` as ${word}.`);
    });
  });
}

describe('AWSTimestamp', () => {
  it.each([0, 1700000000, -86400, 9007199254740991])('accepts %d', async (n) => {
    expect(await viaVariable('AWSTimestamp', n)).toEqual({ data: { r: n } });
    expect(await viaLiteral('AWSTimestamp', String(n))).toEqual({ data: { r: n } });
    expect(await viaOutput('AWSTimestamp', n)).toEqual({ data: { r: n } });
  });

  it.each([1.5, '1700000000', true, 1e20])('rejects variable %s', async (v) => {
    const r = await viaVariable('AWSTimestamp', v);
    expect(r.data).toBeUndefined();
    expect(r.errors?.[0].message).toMatch(/Unable to parse `.*` as a valid timestamp\./);
  });

  it.each(['1.5', '"1700000000"', '31556889864403200', '-31557014167219201'])('rejects literal %s', async (lit) => {
    const r = await viaLiteral('AWSTimestamp', lit);
    expect(r.data).toBeUndefined();
    expect(r.errors?.[0].message).toMatch(/as a valid timestamp\.$/);
  });

  it('serializes numeric strings from data sources and rejects other output', async () => {
    expect(await viaOutput('AWSTimestamp', '1700000000')).toEqual({ data: { r: 1700000000 } });
    const bad = await viaOutput('AWSTimestamp', '2024-01-01');
    expect(bad.data).toEqual({ r: null });
    expect(bad.errors?.[0].message).toBe('Unable to serialize `2024-01-01` as a valid timestamp.');
  });
});

describe('AWSJSON', () => {
  const parsedBy = async (json: string) => {
    let seen: unknown = 'unset';
    const r = await graphql({
      schema,
      rootValue: { ...root, echoAWSJSON: ({ v }: { v: unknown }) => ((seen = v), v) },
      source: 'query($v: AWSJSON) { r: echoAWSJSON(v: $v) }',
      variableValues: { v: json },
    });
    return { seen, r };
  };

  it.each([
    ['{"upvotes": 10}', { upvotes: 10 }],
    ['[1,2,3]', [1, 2, 3]],
    ['"AWSJSON example string"', 'AWSJSON example string'],
    ['1', 1],
    ['true', true],
  ])('parses the variable %s into a value for the resolver and re-serializes it', async (json, value) => {
    const { seen, r } = await parsedBy(json);
    expect(seen).toEqual(value);
    expect(r).toEqual({ data: { r: JSON.stringify(value) } });
  });

  it('parses the JSON text null into a null argument', async () => {
    const { seen, r } = await parsedBy('null');
    expect(seen).toBeNull();
    expect(r).toEqual({ data: { r: null } });
  });

  it('parses string literals, including nested objects', async () => {
    const r = await viaLiteral('AWSJSON', literal('{"a":{"b":[1,"x"]}}'));
    expect(r).toEqual({ data: { r: '{"a":{"b":[1,"x"]}}' } });
  });

  it.each(['{a: 1}', "{'a': 1}", 'Unquoted string', '{"a":1'])('rejects invalid JSON %s', async (bad) => {
    expect((await viaVariable('AWSJSON', bad)).errors?.[0].message).toContain(`Unable to parse \`${bad}\` as valid JSON.`);
    expect((await viaLiteral('AWSJSON', literal(bad))).errors?.[0].message).toBe(`Unable to parse \`${bad}\` as valid JSON.`);
  });

  it('rejects object literals and non-string variables, as AppSync does', async () => {
    const l = await viaLiteral('AWSJSON', '{upvotes: 10}');
    expect(l.data).toBeUndefined();
    expect(l.errors?.[0].message).toBe('Unable to parse `{upvotes: 10}` as valid JSON.');
    const v = await viaVariable('AWSJSON', { upvotes: 10 });
    expect(v.errors?.[0].message).toContain('Unable to parse `{"upvotes":10}` as valid JSON.');
  });

  it('serializes resolver objects and arrays to JSON strings and passes strings through', async () => {
    expect(await viaOutput('AWSJSON', { a: [1, { b: null }] })).toEqual({ data: { r: '{"a":[1,{"b":null}]}' } });
    expect(await viaOutput('AWSJSON', [1, 'two'])).toEqual({ data: { r: '[1,"two"]' } });
    expect(await viaOutput('AWSJSON', '{"already":"json"}')).toEqual({ data: { r: '{"already":"json"}' } });
    expect(await viaOutput('AWSJSON', 'plain text')).toEqual({ data: { r: '"plain text"' } });
    expect(await viaOutput('AWSJSON', 0)).toEqual({ data: { r: '0' } });
  });
});

describe('input objects and error messages', () => {
  it('coerces scalars nested in input objects', async () => {
    const r = await graphql({
      schema,
      rootValue: root,
      source: 'query($i: EventInput) { event(input: $i) }',
      variableValues: { i: { due: '2024-02-29', meta: '{"k":"v"}' } },
    });
    expect(r).toEqual({ data: { event: '{"due":"2024-02-29","meta":{"k":"v"}}' } });
  });

  it('names the innermost field in the AppSync-style variable message', async () => {
    const r = await graphql({
      schema,
      rootValue: root,
      source: 'query($i: EventInput) { event(input: $i) }',
      variableValues: { i: { due: '2023-02-30' } },
    });
    expect(toAppSyncErrorMessage(r.errors?.[0].message ?? '')).toBe(
      "Variable 'due' has an invalid value. Unable to parse `2023-02-30` as a valid date.",
    );
  });

  it('leaves unrelated messages alone', () => {
    expect(toAppSyncErrorMessage('Cannot query field "x" on type "Query".')).toBe('Cannot query field "x" on type "Query".');
  });
});
