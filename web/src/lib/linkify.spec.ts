import { describe, expect, it } from 'vitest';
import { linkify, safeHttpUrl } from './linkify';

describe('linkify', () => {
  it('finds http(s) links and leaves trailing punctuation and CJK text out', () => {
    expect(linkify('看这里：https://example.com/x，谢谢! (http://a.b/c).')).toEqual([
      { kind: 'text', text: '看这里：' },
      { kind: 'link', text: 'https://example.com/x', href: 'https://example.com/x' },
      { kind: 'text', text: '，谢谢! (' },
      { kind: 'link', text: 'http://a.b/c', href: 'http://a.b/c' },
      { kind: 'text', text: ').' },
    ]);
  });

  it('leaves text without links alone', () => {
    expect(linkify('no links, javascript:alert(1)')).toEqual([{ kind: 'text', text: 'no links, javascript:alert(1)' }]);
    expect(linkify('')).toEqual([]);
  });

  it('accepts only http and https URLs', () => {
    expect(safeHttpUrl('https://example.com')).toBe('https://example.com/');
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('data:text/html,x')).toBeNull();
    expect(safeHttpUrl(42)).toBeNull();
  });
});
