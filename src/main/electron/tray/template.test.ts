import { describe, expect, it, vi } from 'vitest';
import { toMenuTemplate } from './template';

describe('toMenuTemplate', () => {
  it('maps items to menu options and reports the id on click', () => {
    const onClick = vi.fn();
    const template = toMenuTemplate(
      [
        { id: 'status', label: 'Not mining', enabled: false },
        { id: 'sep', label: '', enabled: true, type: 'separator' },
        { id: 'cpu-50', label: '50 %', enabled: true, type: 'radio', checked: true },
        { id: 'quit', label: 'Quit HashDeck', enabled: true },
      ],
      onClick,
    );
    expect(template[0]).toMatchObject({ id: 'status', label: 'Not mining', enabled: false });
    expect(template[0]).not.toHaveProperty('type');
    expect(template[1]).toEqual({ id: 'sep', type: 'separator' });
    expect(template[2]).toMatchObject({ type: 'radio', checked: true, enabled: true });

    const quit = template[3];
    (quit?.click as () => void)();
    expect(onClick).toHaveBeenCalledWith('quit');
  });

  it('gives radio and checkbox items an explicit checked state', () => {
    const [item] = toMenuTemplate(
      [{ id: 'c', label: 'c', enabled: true, type: 'checkbox' }],
      () => undefined,
    );
    expect(item?.checked).toBe(false);
  });
});
