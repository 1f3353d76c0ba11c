import { describe, expect, it } from 'vitest';
import {
  cannedFieldProblem,
  emptyCannedForm,
  emptyLabelForm,
  labelFieldProblem,
  textProblem,
  toSaveCannedRequest,
  toSaveLabelRequest,
} from './catalog-rules';

describe('catalog rules', () => {
  it('textProblem trims and counts characters, not UTF-16 units', () => {
    expect(textProblem('   ', 10)).toBe('required');
    expect(textProblem(' 售后 ', 2)).toBeNull();
    expect(textProblem('😀😀', 2)).toBeNull();
    expect(textProblem('abc', 2)).toBe('tooLong');
  });

  it('labels need a name of at most 40 characters and a #rrggbb colour', () => {
    const form = { ...emptyLabelForm(), name: 'vip' };
    expect(labelFieldProblem('name', form)).toBeNull();
    expect(labelFieldProblem('name', { ...form, name: 'x'.repeat(41) })).toBe('tooLong');
    expect(labelFieldProblem('color', form)).toBeNull();
    expect(labelFieldProblem('color', { ...form, color: 'red' })).toBe('color');
    expect(labelFieldProblem('color', { ...form, color: '#FFF' })).toBe('color');
    expect(toSaveLabelRequest({ name: ' VIP ', color: '#F56C6C' })).toEqual({ name: 'VIP', color: '#f56c6c' });
  });

  it('shortcuts are letters of any script, digits, _ and -; up to 32', () => {
    const form = { ...emptyCannedForm(), text: 'Hello' };
    expect(cannedFieldProblem('shortcut', { ...form, shortcut: '营业-hours_2' })).toBeNull();
    expect(cannedFieldProblem('shortcut', { ...form, shortcut: 'two words' })).toBe('shortcut');
    expect(cannedFieldProblem('shortcut', { ...form, shortcut: '/hours' })).toBe('shortcut');
    expect(cannedFieldProblem('shortcut', { ...form, shortcut: '' })).toBe('required');
    expect(cannedFieldProblem('shortcut', { ...form, shortcut: 'a'.repeat(33) })).toBe('tooLong');
    expect(cannedFieldProblem('text', { ...form, text: 'x'.repeat(2001) })).toBe('tooLong');
    expect(cannedFieldProblem('text', { ...form, text: ' \n ' })).toBe('required');
  });

  it('an empty account means every account', () => {
    expect(toSaveCannedRequest({ accountId: '', shortcut: ' hi ', text: ' Hello\nthere ' })).toEqual({
      accountId: null,
      shortcut: 'hi',
      text: 'Hello\nthere',
    });
    expect(toSaveCannedRequest({ accountId: 'acc-1', shortcut: 'hi', text: 'Hello' }).accountId).toBe('acc-1');
  });
});
