// The settings slice: the current SettingsView (null until the first snapshot arrives).
import { create } from 'zustand';
import type { SettingsView } from '../../../shared/contract';

export interface SettingsState {
  settings: SettingsView | null;
  set: (settings: SettingsView) => void;
  reset: () => void;
}

export const useSettingsStore = create<SettingsState>()((set) => ({
  settings: null,
  set: (settings) => set({ settings }),
  reset: () => set({ settings: null }),
}));
