import { defineNode } from '@convoflow/engine';
import { z } from 'zod';

export const ColumnValue = z.object({
  column: z
    .string()
    .trim()
    .min(1, 'name the column')
    .max(200)
    .meta({ title: 'Column', description: 'The header text in row 1 of the sheet', variables: false }),
  value: z.string().max(50_000).default('').meta({
    title: 'Value',
    description: 'What to write, e.g. $rating; a lone variable keeps its type (numbers stay numbers)',
  }),
});
export type ColumnValue = z.infer<typeof ColumnValue>;

export const addRowSchema = z.object({
  connectionId: z.string().min(1, 'pick a Google connection').meta({
    title: 'Google connection',
    description: 'A service-account connection; share the spreadsheet with its e-mail',
    widget: 'connection',
  }),
  spreadsheetId: z.string().trim().min(1, 'paste the spreadsheet id').max(200).meta({
    title: 'Spreadsheet id',
    description: 'The long id in the sheet URL: docs.google.com/spreadsheets/d/<id>/edit',
  }),
  sheet: z
    .string()
    .trim()
    .min(1, 'name the tab')
    .max(100)
    .meta({ title: 'Sheet (tab)', description: 'The tab name, e.g. CSAT' }),
  columns: z
    .array(ColumnValue)
    .min(1, 'map at least one column')
    .max(200)
    .superRefine((columns, ctx) => {
      const seen = new Set<string>();
      columns.forEach((entry, index) => {
        const key = normaliseHeader(entry.column);
        if (seen.has(key)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'column'],
            message: `column "${entry.column}" is mapped twice`,
          });
        }
        seen.add(key);
      });
    })
    .meta({ title: 'Columns', description: 'Which value goes under which header; unmapped columns stay empty' }),
});
export type AddRowData = z.infer<typeof addRowSchema>;

export const addRow = defineNode({
  type: 'googleSheets.addRow',
  label: 'Google Sheets: add row',
  group: 'Actions',
  description: 'Appends a row to a Google Sheet, matching values to the header row by name.',
  icon: '📊',
  schema: addRowSchema,
  exits: () => ['success', 'failure'],
  variables: () => [],
  summary: (data) => {
    const sheet = data.sheet?.trim();
    const columns = data.columns?.length ?? 0;
    return sheet ? `Tab “${sheet}” · ${columns} column${columns === 1 ? '' : 's'}` : undefined;
  },
});

/** Headers match case- and space-insensitively: "Rating " and "rating" are one column. */
export function normaliseHeader(header: string): string {
  return header.trim().replace(/\s+/g, ' ').toLowerCase();
}
