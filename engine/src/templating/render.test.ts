import { describe, expect, it } from 'vitest';
import { findVariables, lookupVariable, renderJson, renderText, renderValue } from './render.ts';

const scope = {
  contact: { name: 'Ada "The Countess" Lovelace', tags: ['vip', 'new'] },
  conversation: { id: 'c-42', closedBy: null },
  rating: 4,
  happy: true,
  note: 'line one\nline "two"\t\\ end',
  emoji: 'héllo 🌍 \u2028 done',
  crm: { status: 201, body: { id: 'x1', items: [{ sku: 'A' }] } },
  empty: '',
};

function collect() {
  const missing: string[] = [];
  return { missing, onMissing: (path: string) => missing.push(path) };
}

describe('renderText', () => {
  it('interpolates nested paths and array indexes', () => {
    expect(renderText('Hi $contact.name, ticket $conversation.id ($crm.body.items.0.sku)', scope)).toBe(
      'Hi Ada "The Countess" Lovelace, ticket c-42 (A)',
    );
  });

  it('renders numbers, booleans, objects and arrays', () => {
    expect(renderText('$rating/$happy $contact.tags $crm.body.items', scope)).toBe(
      '4/true ["vip","new"] [{"sku":"A"}]',
    );
  });

  it('renders null and missing as empty, reporting each missing path once', () => {
    const { missing, onMissing } = collect();
    expect(renderText('[$conversation.closedBy][$nope][$contact.phone][$nope]', scope, onMissing)).toBe('[][][][]');
    expect(missing).toEqual(['nope', 'contact.phone']);
  });

  it('leaves a trailing dot as text', () => {
    expect(renderText('Thanks $contact.name.', { contact: { name: 'Bo' } })).toBe('Thanks Bo.');
  });

  it('keeps a $ not followed by an identifier as text', () => {
    expect(renderText('costs $5, or $ 3, or $.x or $', scope)).toBe('costs $5, or $ 3, or $.x or $');
  });

  it('treats $$ as a literal $', () => {
    expect(renderText('$$rating is $rating, price $$5, $$$rating', scope)).toBe('$rating is 4, price $5, $4');
  });

  it('never evaluates code-looking input', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: code-looking text must stay literal
    const template = '${process.exit()} `${1+1}` {{constructor.constructor("return 1")()}}';
    expect(renderText(template, scope)).toBe(template);
  });

  it('does not walk prototypes', () => {
    const { missing, onMissing } = collect();
    const text = renderText(
      '[$contact.__proto__][$contact.constructor.name][$rating.toFixed][$contact.name.length][$toString]',
      scope,
      onMissing,
    );
    expect(text).toBe('[][][][][]');
    expect(missing).toEqual([
      'contact.__proto__',
      'contact.constructor.name',
      'rating.toFixed',
      'contact.name.length',
      'toString',
    ]);
  });

  it('ignores inherited properties of the scope', () => {
    const inherited: Record<string, unknown> = Object.create({ secret: 'x' });
    expect(renderText('[$secret]', inherited)).toBe('[]');
  });
});

describe('renderValue', () => {
  it('keeps the type of a single variable, ignoring surrounding whitespace', () => {
    expect(renderValue('$rating', scope)).toBe(4);
    expect(renderValue('  $happy ', scope)).toBe(true);
    expect(renderValue('$crm.body', scope)).toEqual({ id: 'x1', items: [{ sku: 'A' }] });
    expect(renderValue('$conversation.closedBy', scope)).toBeNull();
  });

  it('renders text when the template is more than one variable', () => {
    expect(renderValue('$rating stars', scope)).toBe('4 stars');
    expect(renderValue('$rating$rating', scope)).toBe('44');
    expect(renderValue('$$rating', scope)).toBe('$rating');
  });

  it('gives an empty string for a missing variable and reports it', () => {
    const { missing, onMissing } = collect();
    expect(renderValue('$assignee.name', scope, onMissing)).toBe('');
    expect(missing).toEqual(['assignee.name']);
  });
});

describe('renderJson', () => {
  it('inserts values as JSON outside strings and escaped text inside them', () => {
    const out = renderJson(
      '{"conversationId": "$conversation.id", "rating": $rating, "who": "$contact.name", "note": "$note", "tags": $contact.tags, "happy": $happy, "e": "$emoji"}',
      scope,
    );
    expect(JSON.parse(out)).toEqual({
      conversationId: 'c-42',
      rating: 4,
      who: 'Ada "The Countess" Lovelace',
      note: 'line one\nline "two"\t\\ end',
      tags: ['vip', 'new'],
      happy: true,
      e: 'héllo 🌍 \u2028 done',
    });
  });

  it('renders objects inside a string as their escaped JSON text', () => {
    const out = renderJson('{"raw": "body=$crm.body"}', scope);
    expect(JSON.parse(out)).toEqual({ raw: 'body={"id":"x1","items":[{"sku":"A"}]}' });
  });

  it('makes missing values null outside strings and empty inside them', () => {
    const { missing, onMissing } = collect();
    const out = renderJson('{"a": $nope, "b": "x$nope.y", "c": [$rating, $gone]}', scope, onMissing);
    expect(JSON.parse(out)).toEqual({ a: null, b: 'x', c: [4, null] });
    expect(missing).toEqual(['nope', 'nope.y', 'gone']);
  });

  it('tracks escaped quotes and backslashes in the template', () => {
    const out = renderJson('{"q": "say \\"$rating\\"", "b": "\\\\", "n": $rating}', scope);
    expect(JSON.parse(out)).toEqual({ q: 'say "4"', b: '\\', n: 4 });
  });

  it('keeps $ that is not a variable, and never evaluates', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: code-looking text must stay literal
    const out = renderJson('{"price": "$5", "code": "${process.exit()}", "lit": "$$rating"}', scope);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: code-looking text must stay literal
    expect(JSON.parse(out)).toEqual({ price: '$5', code: '${process.exit()}', lit: '$rating' });
  });

  it('stays valid JSON when a string value holds control characters', () => {
    const out = renderJson('["$v"]', { v: '\u0000\u0007\r\n\u001f' });
    expect(JSON.parse(out)).toEqual(['\u0000\u0007\r\n\u001f']);
  });
});

describe('findVariables', () => {
  it('lists each path once in order of first use, skipping escapes and literal $', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: code-looking text must stay literal
    expect(findVariables('Hi $contact.name, $rating stars $$escaped $5 $contact.name ${x} $crm.body.items.0.')).toEqual(
      ['contact.name', 'rating', 'crm.body.items.0'],
    );
  });

  it('finds variables in JSON templates', () => {
    expect(findVariables('{"id": "$conversation.id", "rating": $rating}')).toEqual(['conversation.id', 'rating']);
  });
});

describe('lookupVariable', () => {
  it('tells found-null from missing', () => {
    expect(lookupVariable(scope, 'conversation.closedBy')).toEqual({ found: true, value: null });
    expect(lookupVariable(scope, 'conversation.nope')).toEqual({ found: false });
    expect(lookupVariable(scope, 'contact.tags.1')).toEqual({ found: true, value: 'new' });
  });
});
