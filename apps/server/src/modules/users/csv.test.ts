import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv } from './csv.ts';

const fieldsOf = (text: string) => parseCsv(text).map((r) => r.fields);

describe('parseCsv', () => {
  it.each([
    [
      'plain LF',
      'a,b\n1,2\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'CRLF',
      'a,b\r\n1,2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'lone CR',
      'a,b\r1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'no trailing newline',
      'a,b\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'BOM',
      '\uFEFFname,email\nx,y',
      [
        ['name', 'email'],
        ['x', 'y'],
      ],
    ],
    ['quoted comma', 'a,"b,c",d', [['a', 'b,c', 'd']]],
    ['doubled quote', '"say ""hi""",x', [['say "hi"', 'x']]],
    [
      'embedded LF',
      '"line1\nline2",x\ny,z',
      [
        ['line1\nline2', 'x'],
        ['y', 'z'],
      ],
    ],
    ['embedded CRLF', '"line1\r\nline2",x\r\n', [['line1\r\nline2', 'x']]],
    ['empty fields', ',,\n', [['', '', '']]],
    ['quoted empty field alone', '""\n', [['']]],
    ['blank lines dropped', 'a\n\n\nb\n', [['a'], ['b']]],
    ['Chinese text', '王五,"物流,售后"\n', [['王五', '物流,售后']]],
    ['trailing empty field', 'a,\n', [['a', '']]],
    ['empty input', '', []],
  ] as const)('reads %s', (_name, text, expected) => {
    expect(fieldsOf(text)).toEqual(expected);
  });

  it('numbers records as spreadsheet rows, counting a multi-line field once', () => {
    const records = parseCsv('h1,h2\n"a\nb",c\nd,e\n');
    expect(records.map((r) => r.row)).toEqual([1, 2, 3]);
  });

  it.each([
    ['unclosed quote', 'a,"b\n'],
    ['text after closing quote', '"a"b,c'],
    ['quote inside unquoted field', 'ab"c,d'],
  ])('rejects %s', (_name, text) => {
    expect(() => parseCsv(text)).toThrow(CsvSyntaxError);
  });
});
