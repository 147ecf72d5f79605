import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MenuButton } from './MenuButton.tsx';

afterEach(cleanup);

function renderMenu() {
  const chosen = vi.fn<(label: string) => void>();
  render(
    <MenuButton
      label="More"
      testId="more"
      actions={['Settings', 'Versions', 'Export'].map((label) => ({ label, onSelect: () => chosen(label) }))}
    />,
  );
  return chosen;
}

describe('MenuButton (the toolbar’s More)', () => {
  it('opens a menu with focus on its first item; arrows move, Escape closes back to the button', () => {
    renderMenu();
    const button = screen.getByTestId('more');
    expect(button.getAttribute('aria-haspopup')).toBe('menu');
    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const items = screen.getAllByRole('menuitem');
    expect(document.activeElement).toBe(items[0]);

    const menu = screen.getByRole('menu', { name: 'More' });
    fireEvent.keyDown(menu, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(items[1]);
    fireEvent.keyDown(menu, { key: 'ArrowUp' });
    fireEvent.keyDown(menu, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(items[2]);

    fireEvent.keyDown(menu, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('runs the chosen action and closes; a press elsewhere closes it too', () => {
    const chosen = renderMenu();
    fireEvent.click(screen.getByTestId('more'));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Versions' }));
    expect(chosen).toHaveBeenCalledWith('Versions');
    expect(screen.queryByRole('menu')).toBeNull();

    fireEvent.click(screen.getByTestId('more'));
    fireEvent.mouseDown(document.body);
    expect(screen.queryByRole('menu')).toBeNull();
  });
});
