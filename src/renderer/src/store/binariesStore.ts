// The trusted-binaries slice: what the app may execute, replaced wholesale by the snapshot and the
// `binaries` event. The UI can choose among them; only the main process can add one.
import { create } from 'zustand';
import type { TrustedBinary } from '../../../shared/contract';

export interface BinariesState {
  list: readonly TrustedBinary[];
  setAll: (list: readonly TrustedBinary[]) => void;
  reset: () => void;
}

export const useBinariesStore = create<BinariesState>()((set) => ({
  list: [],
  setAll: (list) => set({ list }),
  reset: () => set({ list: [] }),
}));
