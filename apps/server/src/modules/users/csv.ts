/**
 * A small RFC 4180 reader: fields separated by commas, records by CRLF or LF (a lone CR too), fields in
 * double quotes may hold commas, quotes (doubled) and line breaks. A leading UTF-8 BOM (as Excel writes) is
 * skipped. Blank lines are dropped, so a trailing newline does not make an empty record.
 */
export interface CsvRecord {
  /** 1-based record number; the header is record 1, as a spreadsheet numbers its rows. */
  row: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly row: number,
  ) {
    super(`${message} (record ${row})`);
  }
}

export function parseCsv(text: string): CsvRecord[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  // A field that was quoted counts as content even when empty: `""` is one empty field, not a blank line.
  let hadQuotes = false;
  let row = 1;
  let i = 0;

  const endField = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    const blank = fields.length === 1 && fields[0] === '' && !hadQuotes;
    if (!blank) records.push({ row: row++, fields });
    fields = [];
    hadQuotes = false;
  };

  while (i < input.length) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = input[i];
        if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
          throw new CsvSyntaxError('Text after a closing quote', row);
        }
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      if (field !== '') throw new CsvSyntaxError('A quote inside an unquoted field', row);
      quoted = true;
      hadQuotes = true;
      i++;
    } else if (ch === ',') {
      endField();
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && input[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) throw new CsvSyntaxError('A quoted field is not closed', row);
  if (field !== '' || fields.length > 0 || hadQuotes) endRecord();
  return records;
}
